// The vocabulary: expressions matched on stems in both directions, one hop across lines,
// non-filtering words, and the real data files of data/vocabulaire/.
#include <gtest/gtest.h>

#include <algorithm>

#include "search/analysis.h"
#include "search/query.h"
#include "search/vocabulary.h"
#include "tests/support/fixtures.h"

namespace vigie::search {
namespace {

Vocabulary parse(std::string_view text) {
  auto vocabulary = Vocabulary::parse(text, "test.csv");
  EXPECT_TRUE(vocabulary.ok()) << vocabulary.error().message;
  return vocabulary.ok() ? std::move(vocabulary).value() : Vocabulary{};
}

std::vector<std::string> related_texts(const Vocabulary& vocabulary, std::string_view query) {
  const auto match = vocabulary.match_at(words(query), 0);
  std::vector<std::string> texts;
  for (const auto* expression : match.related) texts.push_back(expression->text);
  std::sort(texts.begin(), texts.end());
  return texts;
}

TEST(VocabularyTest, MatchesOnStemsInBothDirections) {
  const auto vocabulary = parse("expressions,note\ndépôt sauvage;décharge sauvage,Déchets\n");
  EXPECT_EQ(related_texts(vocabulary, "DÉPÔTS SAUVAGES"), (std::vector<std::string>{"décharge sauvage"}));
  EXPECT_EQ(related_texts(vocabulary, "decharges sauvages"), (std::vector<std::string>{"dépôt sauvage"}));
  EXPECT_EQ(vocabulary.match_at(words("dépôts sauvages"), 0).length, 2u);
}

TEST(VocabularyTest, FunctionWordsBetweenContentWordsAreSkipped) {
  const auto vocabulary = parse("expressions,note\npoubelle;collecte des déchets,Déchets\n");
  EXPECT_EQ(related_texts(vocabulary, "collecte de déchets"), (std::vector<std::string>{"poubelle"}));
  EXPECT_EQ(related_texts(vocabulary, "collecte déchets"), (std::vector<std::string>{"poubelle"}));
  EXPECT_TRUE(related_texts(vocabulary, "collecte").empty());
}

TEST(VocabularyTest, AnExpressionOfOneContentWordKeepsItsFunctionWords) {
  const auto vocabulary = parse("expressions,note\nLe Chat;IA générative,Produits\n");
  EXPECT_TRUE(related_texts(vocabulary, "chat").empty());
  EXPECT_EQ(related_texts(vocabulary, "le chat"), (std::vector<std::string>{"IA générative"}));
}

TEST(VocabularyTest, AnExpressionBringsEveryLineHoldingItButOnlyOneHop) {
  const auto vocabulary = parse(
      "expressions,note\nChatGPT;IA générative,Produits\nMistral;IA générative,Produits\nIA générative;grand modèle de langage,Technique\n"
      "grand modèle de langage;LLM,Sigles\n");
  EXPECT_EQ(related_texts(vocabulary, "ia generative"), (std::vector<std::string>{"ChatGPT", "Mistral", "grand modèle de langage"}));
  // ChatGPT -> IA générative, not on to "grand modèle de langage" nor "LLM".
  EXPECT_EQ(related_texts(vocabulary, "chatgpt"), (std::vector<std::string>{"IA générative"}));
}

TEST(VocabularyTest, TheLongestExpressionWins) {
  const auto vocabulary = parse("expressions,note\ntri;classement,a\ntri du courrier;routage du courrier,b\n");
  const auto match = vocabulary.match_at(words("tri du courrier entrant"), 0);
  EXPECT_EQ(match.length, 3u);
  ASSERT_EQ(match.related.size(), 1u);
  EXPECT_EQ(match.related.front()->text, "routage du courrier");
}

TEST(VocabularyTest, NonFilteringExpressions) {
  const auto vocabulary = parse("expression,raison\nintelligence artificielle,a\ncomment,b\n");
  EXPECT_EQ(vocabulary.non_filtering_at(words("Intelligences artificielles pour la voirie"), 0), 2u);
  EXPECT_EQ(vocabulary.non_filtering_at(words("comment faire"), 0), 1u);
  EXPECT_EQ(vocabulary.non_filtering_at(words("voirie"), 0), 0u);
}

TEST(VocabularyTest, BadLinesAreRefusedNamingFileAndLine) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"expressions,note\nseul,a\n", "test.csv, ligne 2 : un groupe compte au moins deux expressions"},
           {"expressions,note\na;b;c,a\n", "test.csv, ligne 2 : l'expression « a » est vide une fois normalisée"},
           {"expressions,note\nchatbot;robot;Chatbot,a\n", "test.csv, ligne 2 : « Chatbot » figure deux fois dans le groupe"},
           {"mots,note\nchatbot;robot,a\n", "test.csv, ligne 1 : en-tête"},
       }) {
    auto parsed = Vocabulary::parse(text, "test.csv");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message.find(expected), std::string::npos) << parsed.error().message;
  }
}

TEST(VocabularyTest, TwoFormsOfOneWordOnALineAreOne) {
  const auto vocabulary = parse("expressions,note\ndépôt;dépôts;décharge,a\ncrue;crues,b\n");
  EXPECT_EQ(vocabulary.group_count(), 1u);  // "crue;crues" brings nothing in
  EXPECT_EQ(related_texts(vocabulary, "dépôts"), (std::vector<std::string>{"décharge"}));
}

// The shipped files: they load, they are large enough to cover the field, and a few notions
// of local government every agent uses are there, in both directions.
TEST(VocabularyDataTest, ShippedFilesLoadAndCoverTheField) {
  auto loaded = Vocabulary::load(test::source_dir() / "data" / "vocabulaire");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_GE(loaded->group_count(), 1500u);
  EXPECT_GE(loaded->non_filtering_count(), 100u);
  auto brings = [&](std::string_view query, std::string_view wanted) {
    for (const auto* expression : loaded->match_at(words(query), 0).related) {
      if (normalize(expression->text) == normalize(wanted)) return true;
    }
    return false;
  };
  EXPECT_TRUE(brings("CCAS", "centre communal d'action sociale"));
  EXPECT_TRUE(brings("centre communal d'action sociale", "CCAS"));
  EXPECT_TRUE(brings("PLUi", "plan local d'urbanisme intercommunal"));
  EXPECT_TRUE(brings("MDPH", "maison départementale des personnes handicapées"));
  EXPECT_TRUE(brings("ATSEM", "agent territorial spécialisé des écoles maternelles"));
  EXPECT_TRUE(brings("poubelles", "collecte des déchets"));
  EXPECT_TRUE(brings("ChatGPT", "IA générative"));
  EXPECT_TRUE(brings("Whisper", "transcription automatique"));
  EXPECT_EQ(loaded->non_filtering_at(words("intelligence artificielle"), 0), 2u);
  EXPECT_EQ(loaded->non_filtering_at(words("IA"), 0), 1u);
}

TEST(QueryAnalysisTest, QuestionWordsNumbersAndAiDoNotFilter) {
  const auto vocabulary = parse("expression,raison\nIA,a\ncomment,b\nalgorithme,c\n");
  const auto analysed = analyse_query(parse_query("Comment l'IA détecte les fuites en 2019 ? algorithme"), vocabulary);
  std::vector<std::string> filtering, ranking;
  for (const auto& part : analysed.parts) (part.filtering ? filtering : ranking).push_back(part.words.front());
  EXPECT_EQ(filtering, (std::vector<std::string>{"detecte", "fuites"}));
  EXPECT_EQ(ranking, (std::vector<std::string>{"comment", "ia", "les", "en", "2019", "algorithme"}));
}

TEST(QueryAnalysisTest, NumbersInAPhraseAndExcludedWordsFilter) {
  const auto analysed = analyse_query(parse_query("\"Paris 17e\" -2019"), Vocabulary{});
  ASSERT_EQ(analysed.parts.size(), 2u);
  EXPECT_TRUE(analysed.parts[0].filtering);
  EXPECT_TRUE(analysed.parts[1].excluded);
}

TEST(QueryAnalysisTest, FemininePastParticiplesShareTheMasculineStem) {
  EXPECT_EQ(stem("handicapee"), stem("handicape"));
  EXPECT_EQ(stem("handicapees"), stem("handicapes"));
  EXPECT_EQ(stem("detectee"), stem("detecte"));
}

TEST(QueryAnalysisTest, CorrectionsReplaceWordsKeepingTheRestAsTyped) {
  EXPECT_EQ(replace_words("Fuittes d'eau à Évry", {{"fuittes", "fuites"}}), "fuites d'eau à Évry");
  EXPECT_EQ(replace_words("kantine -gaspillage", {{"kantine", "cantine"}}), "cantine -gaspillage");
}

}  // namespace
}  // namespace vigie::search
