#include "assessment/answers.h"

#include <gmock/gmock.h>

#include <random>
#include <gtest/gtest.h>

#include "core/text.h"
#include "tests/assessment/assessment_support.h"

namespace vigie::assessment {
namespace {

using ::testing::ElementsAre;
using nlohmann::json;

const ClassificationTree& tree() { return test::assessment_data().classification; }

TEST(AnswersJsonTest, ReadsSingleAndMultipleChoiceAnswers) {
  const ParsedAnswers parsed = answers_from_json(json::parse(R"({"systeme-ia": "oui", "annexe-iii": ["5a", "1c"]})"), tree());
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_THAT(parsed.answers.at("systeme-ia"), ElementsAre("oui"));
  EXPECT_THAT(parsed.answers.at("annexe-iii"), ElementsAre("5a", "1c"));
}

TEST(AnswersJsonTest, RoundTrips) {
  const Answers answers = {{"systeme-ia", {"oui"}}, {"annexe-iii", {"5a", "1c"}}, {"profilage", {"non"}}};
  const json document = answers_to_json(answers, tree());
  EXPECT_EQ(document.dump(), R"({"annexe-iii":["5a","1c"],"profilage":"non","systeme-ia":"oui"})");
  EXPECT_EQ(answers_from_json(document, tree()).answers, answers);
}

TEST(AnswersJsonTest, KeepsValidAnswersAndReportsEachInvalidOne) {
  const ParsedAnswers parsed = answers_from_json(json::parse(R"({
      "systeme-ia": "oui", "role": ["deployeur"], "annexe-iii": "5a", "profilage": "peut-etre",
      "transparence": ["aucune", "interaction"], "pratiques-interdites": ["a", "a"], "couleur": "bleu", "exclusions": []})"), tree());
  EXPECT_THAT(parsed.answers.at("systeme-ia"), ElementsAre("oui"));
  EXPECT_EQ(parsed.answers.size(), 1u);
  ASSERT_EQ(parsed.errors.size(), 7u);
  EXPECT_EQ(parsed.errors[0], (FieldError{"annexe-iii", "doit être une liste d'identifiants de choix"}));
  EXPECT_EQ(parsed.errors[1], (FieldError{"couleur", "question inconnue"}));
  EXPECT_EQ(parsed.errors[2], (FieldError{"exclusions", "doit être l'identifiant d'un choix (texte)"}));
  EXPECT_EQ(parsed.errors[3], (FieldError{"pratiques-interdites", "« a » est en double"}));
  EXPECT_EQ(parsed.errors[4].field, "profilage");
  EXPECT_EQ(parsed.errors[4].message, "« peut-etre » n'est pas un choix de cette question (choix possibles : oui, non)");
  EXPECT_EQ(parsed.errors[5], (FieldError{"role", "doit être l'identifiant d'un choix (texte)"}));
  EXPECT_EQ(parsed.errors[6], (FieldError{"transparence", "« Aucune de ces situations » ne peut pas être combiné avec d'autres choix"}));
}

TEST(AnswersJsonTest, NotAnObjectIsReported) {
  const ParsedAnswers parsed = answers_from_json(json::array(), tree());
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].field, "reponses");
}

TEST(AnswersQueryTest, RoundTripsThroughAShareableLink) {
  const Answers answers = {{"systeme-ia", {"oui"}}, {"annexe-iii", {"5a", "1c"}}, {"role", {"deployeur"}}};
  const std::string query = answers_to_query(answers);
  EXPECT_EQ(query, "annexe-iii=5a,1c&role=deployeur&systeme-ia=oui");
  const ParsedAnswers parsed = answers_from_query(query, tree());
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.answers, answers);
}

TEST(AnswersQueryTest, RepeatedKeysFromACheckboxFormAreMergedAndPercentEncodingDecoded) {
  const ParsedAnswers parsed = answers_from_query("annexe-iii=5a&annexe-iii=1c%2C4a&systeme-ia=oui&etape=3&transparence=", tree(), {"etape"});
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_THAT(parsed.answers.at("annexe-iii"), ElementsAre("5a", "1c", "4a"));
  EXPECT_EQ(parsed.answers.count("transparence"), 0u);
}

TEST(AnswersQueryTest, OutdatedLinkRestoresWhatItCanAndReportsTheRest) {
  const ParsedAnswers parsed = answers_from_query("systeme-ia=oui&ancienne-question=x&profilage=oui,non&role=%3Cscript%3E", tree());
  EXPECT_THAT(parsed.answers.at("systeme-ia"), ElementsAre("oui"));
  ASSERT_EQ(parsed.errors.size(), 3u);
  EXPECT_EQ(parsed.errors[0], (FieldError{"ancienne-question", "question inconnue"}));
  EXPECT_EQ(parsed.errors[1], (FieldError{"profilage", "une seule réponse est attendue"}));
  EXPECT_EQ(parsed.errors[2].field, "role");
  EXPECT_THAT(parsed.errors[2].message, ::testing::StartsWith("« <script> » n'est pas un choix"));
}

TEST(AnswersQueryTest, EmptyQueryGivesNoAnswers) {
  const ParsedAnswers parsed = answers_from_query("", tree());
  EXPECT_TRUE(parsed.answers.empty());
  EXPECT_TRUE(parsed.errors.empty());
}

TEST(AnswersQueryTest, SharedLinkRestoresTheSameClassification) {
  const Answers answers = {{"systeme-ia", {"oui"}}, {"role", {"deployeur"}}, {"exclusions", {"aucune"}}, {"pratiques-interdites", {"aucune"}},
                           {"annexe-i", {"non"}}, {"annexe-iii", {"5a"}}, {"profilage", {"oui"}}, {"transparence", {"interaction"}},
                           {"decisions-individuelles", {"non"}}};
  const Classification original = classify(tree(), answers);
  const Classification restored = classify(tree(), answers_from_query(answers_to_query(answers), tree()).answers);
  EXPECT_EQ(original.path, restored.path);
  ASSERT_EQ(original.outcomes.size(), restored.outcomes.size());
  for (std::size_t i = 0; i < original.outcomes.size(); ++i) EXPECT_EQ(original.outcomes[i].outcome, restored.outcomes[i].outcome);
}

TEST(AnswersQueryTest, ArbitraryBytesNeverBreakTheReaders) {
  std::mt19937 random(42);
  static constexpr char kAlphabet[] = "=&,%+-ab5oui\xC3\xA9\x00\xFF";  // NUL and invalid UTF-8 included
  const std::string alphabet(kAlphabet, sizeof kAlphabet - 1);
  for (int round = 0; round < 2000; ++round) {
    std::string query;
    const auto length = random() % 40;
    for (std::size_t i = 0; i < length; ++i) query += alphabet[random() % alphabet.size()];
    const ParsedAnswers parsed = answers_from_query(query, tree());
    for (const auto& [id, selected] : parsed.answers) EXPECT_TRUE(check_answer(*tree().find_question(id), selected).empty());
    for (const auto& error : parsed.errors) {
      EXPECT_FALSE(error.message.empty());
      EXPECT_TRUE(text::is_valid_utf8(error.field) && text::is_valid_utf8(error.message)) << error.field;
    }
  }
}

}  // namespace
}  // namespace vigie::assessment
