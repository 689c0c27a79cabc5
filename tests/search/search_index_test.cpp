#include "search/search_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "search/analysis.h"
#include "search/query.h"
#include "tests/support/fixtures.h"

namespace vigie::search {
namespace {

using domain::UseCase;

TEST(AnalysisTest, FoldsAccentsSplitsElisionsAndHyphens) {
  EXPECT_EQ(normalize("L’accueil des Usagers à Saint-Étienne"), "accueil des usagers saint etienne");
  EXPECT_EQ(normalize("qu'il détecte l'eau"), "il detecte eau");
  EXPECT_EQ(stem("detections"), stem("detection"));
  EXPECT_EQ(stem("fuites"), stem("fuite"));
}

TEST(AnalysisTest, HighlightKeepsAccentsAndEscapes) {
  EXPECT_EQ(highlight_html("Détection <des> fuites d’eau", {stem("detection"), stem("eau")}),
            "<mark>Détection</mark> &lt;des&gt; fuites <mark>d’eau</mark>");
}

TEST(QueryTest, ParsesPhraseExclusionAndPrefix) {
  auto parsed = parse_query("dépôts \"agent conversationnel\" -vidéo accu*");
  ASSERT_EQ(parsed.clauses.size(), 4u);
  EXPECT_EQ(parsed.clauses[0].words, (std::vector<std::string>{"depots"}));
  EXPECT_EQ(parsed.clauses[1].kind, ParsedQuery::Clause::Kind::phrase);
  EXPECT_TRUE(parsed.clauses[2].excluded);
  EXPECT_EQ(parsed.clauses[3].kind, ParsedQuery::Clause::Kind::prefix);
}

TEST(QueryTest, GarbageIsReadAsPlainWordsOrNothing) {
  for (const char* garbage : {"\"", "-", "*", "\"\"\"", "- * \"", "((AND OR))", "%%%", "\xff\xfe", ""}) {
    auto parsed = parse_query(garbage);
    EXPECT_NO_THROW(strict_query(analyse_query(parsed, Vocabulary{}))) << garbage;
  }
  EXPECT_EQ(parse_query("\"fuites d'eau").clauses.size(), 1u);  // unclosed quote: plain words
}

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto vocabulary = Vocabulary::load(test::source_dir() / "data" / "vocabulaire");
    ASSERT_TRUE(vocabulary.ok()) << vocabulary.error().message;
    auto index = SearchIndex::open(dir_.path() / "index", std::move(vocabulary).value(), test::taxonomies());
    ASSERT_TRUE(index.ok()) << index.error().message;
    index_ = std::move(index).value();
  }

  IndexDocument fiche(domain::UseCaseId id, std::string title, std::string summary, std::string domain = "dechets-proprete") {
    UseCase u = test::minimal_use_case();
    u.id = id;
    u.purposes = {"prediction"};
    u.title = std::move(title);
    u.summary = std::move(summary);
    u.domains = {std::move(domain)};
    u.updated_at = "2026-01-0" + std::to_string(id) + "T00:00:00Z";
    return {u, {}, {}};
  }

  std::vector<domain::UseCaseId> ids(const std::string& text) {
    SearchRequest request;
    request.text = text;
    auto results = index_->search(request);
    EXPECT_TRUE(results.ok()) << results.error().message;
    std::vector<domain::UseCaseId> found;
    if (results.ok()) {
      for (const auto& hit : results->hits) found.push_back(hit.id);
    }
    return found;
  }

  void build() {
    std::vector<IndexDocument> documents{
        fiche(1, "Détection des dépôts sauvages", "Des caméras repèrent les dépôts."),
        fiche(2, "Agent conversationnel de la mairie", "Un assistant répond aux habitants.", "relation-usagers"),
        fiche(3, "Prévision des fuites d’eau", "Le réseau d’eau potable est surveillé.", "eau-assainissement"),
        fiche(4, "Vidéoprotection des parkings", "Analyse des images des caméras.", "securite"),
        fiche(5, "Reconnaissance de caractères des courriers", "Lecture automatique du courrier entrant.", "administration-generale"),
    };
    ASSERT_TRUE(index_->rebuild(documents, 7).ok());
  }

  test::TempDir dir_;
  std::unique_ptr<SearchIndex> index_;
};

TEST_F(SearchIndexTest, AccentsCaseAndPluralsAreForgiven) {
  build();
  EXPECT_EQ(ids("detection"), (std::vector<domain::UseCaseId>{1}));
  EXPECT_EQ(ids("DÉPÔT SAUVAGE"), (std::vector<domain::UseCaseId>{1}));
  EXPECT_EQ(ids("fuite"), (std::vector<domain::UseCaseId>{3}));
  EXPECT_EQ(ids("l'eau"), (std::vector<domain::UseCaseId>{3}));
}

TEST_F(SearchIndexTest, SynonymsAndAcronymsMatch) {
  build();
  EXPECT_EQ(ids("chatbot"), (std::vector<domain::UseCaseId>{2}));
  EXPECT_EQ(ids("vidéosurveillance").front(), 4);  // then fiches with cameras, weighted less
  EXPECT_EQ(ids("OCR"), (std::vector<domain::UseCaseId>{5}));
}

TEST_F(SearchIndexTest, PhraseExclusionAndPrefix) {
  build();
  EXPECT_EQ(ids("\"dépôts sauvages\""), (std::vector<domain::UseCaseId>{1}));
  EXPECT_TRUE(ids("\"sauvages dépôts\"").empty());
  EXPECT_EQ(ids("caméras -parkings"), (std::vector<domain::UseCaseId>{1}));
  EXPECT_EQ(ids("conversation*"), (std::vector<domain::UseCaseId>{2}));
}

TEST_F(SearchIndexTest, AllWordsAreRequiredThenTheClosestAreShownAsSuch) {
  build();
  EXPECT_EQ(ids("lecture du courrier"), (std::vector<domain::UseCaseId>{5}));  // "du" is not required
  SearchRequest request;
  request.text = "fuites caméras";
  auto closest = index_->search(request).value();
  EXPECT_EQ(closest.match, MatchKind::closest);
  EXPECT_EQ(closest.all_words_total, 0);
  EXPECT_GE(closest.total, 2);
  request.text = "tri du courrier entrant";  // "tri" is in no fiche: left out, and said so
  closest = index_->search(request).value();
  EXPECT_EQ(closest.match, MatchKind::closest);
  EXPECT_EQ(closest.ignored_words, (std::vector<std::string>{"tri"}));
  ASSERT_FALSE(closest.hits.empty());
  EXPECT_EQ(closest.hits.front().id, 5);
}

TEST_F(SearchIndexTest, FiltersRestrictResults) {
  build();
  SearchRequest request;
  request.text = "caméras";
  request.filter.domains = {"securite"};
  auto results = index_->search(request);
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->total, 1);
  EXPECT_EQ(results->hits[0].id, 4);
}

TEST_F(SearchIndexTest, FollowsChangesAndRecordsTheSequence) {
  build();
  EXPECT_EQ(index_->sequence(), 7);
  auto changed = fiche(3, "Prévision des crues", "Les inondations sont anticipées.", "secours-risques");
  ASSERT_TRUE(index_->apply(changed, 8).ok());
  EXPECT_TRUE(ids("fuites").empty());
  EXPECT_EQ(ids("inondation"), (std::vector<domain::UseCaseId>{3}));
  auto archived = fiche(1, "Détection des dépôts sauvages", "x");
  archived.use_case.publication_state = domain::kArchived;
  ASSERT_TRUE(index_->apply(archived, 9).ok());
  EXPECT_TRUE(ids("dépôts").empty());
  EXPECT_EQ(index_->sequence(), 9);
  EXPECT_EQ(index_->document_count(), 4);
}

TEST_F(SearchIndexTest, SequenceSurvivesReopening) {
  build();
  index_.reset();
  auto reopened = SearchIndex::open(dir_.path() / "index", Vocabulary{}, test::taxonomies());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->sequence(), 7);
  EXPECT_EQ((*reopened)->document_count(), 5);
}

TEST_F(SearchIndexTest, RebuildGivesIdenticalResults) {
  build();
  const auto before = ids("caméras");
  build();
  EXPECT_EQ(ids("caméras"), before);
}

TEST_F(SearchIndexTest, SearchesKeepBeingAnsweredDuringARebuild) {
  build();
  const auto before = ids("caméras");
  std::atomic<bool> done{false};
  std::atomic<int> answered{0}, unexpected{0};
  std::thread reader([&] {
    // A reader opened before the swaps: every answer is the old content or the new, never an error.
    while (!done) {
      SearchRequest request;
      request.text = "caméras";
      auto results = index_->search(request);
      if (!results.ok() || results->total != 2 || results->facets["domaine"].size() != 2) ++unexpected;
      ++answered;
    }
  });
  for (int round = 0; round < 5; ++round) build();
  done = true;
  reader.join();
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_EQ(ids("caméras"), before);
}

TEST_F(SearchIndexTest, ASwappedIndexAnswersTheSameAfterReopeningAndKeepsOneGeneration) {
  build();
  build();
  SearchRequest request;
  request.text = "caméras";
  const auto live = index_->search(request).value();
  index_.reset();
  auto reopened = SearchIndex::open(dir_.path() / "index", Vocabulary{}, test::taxonomies());
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  const auto again = (*reopened)->search(request).value();
  EXPECT_EQ(again.total, live.total);
  EXPECT_EQ(again.facets, live.facets);
  ASSERT_EQ(again.hits.size(), live.hits.size());
  for (std::size_t i = 0; i < live.hits.size(); ++i) EXPECT_EQ(again.hits[i].id, live.hits[i].id);
  std::vector<std::string> entries;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "index")) entries.push_back(entry.path().filename().string());
  std::sort(entries.begin(), entries.end());
  EXPECT_EQ(entries, (std::vector<std::string>{"XAPIANDB", "index-3"}));
  // Xapian's own tools open the directory as the live database through the stub.
  EXPECT_EQ(Xapian::Database((dir_.path() / "index").string()).get_doccount(), 5u);
}

TEST_F(SearchIndexTest, FacetColumnsFollowTheDocumentsOfBothShards) {
  std::vector<IndexDocument> documents;
  for (domain::UseCaseId id = 1; id <= 41; ++id) {
    documents.push_back(fiche(id, "Détection des dépôts sauvages", "Des caméras.", id % 3 == 0 ? "securite" : "dechets-proprete"));
  }
  ASSERT_TRUE(index_->rebuild(documents, 1).ok());
  SearchRequest request;
  request.text = "dépôts";
  request.limit = 50;
  const auto results = index_->search(request).value();
  EXPECT_EQ(results.total, 41);
  EXPECT_EQ(results.facets.at("domaine").at("securite"), 13);
  EXPECT_EQ(results.facets.at("domaine").at("dechets-proprete"), 28);
  request.filter.domains = {"securite"};
  const auto filtered = index_->search(request).value();
  ASSERT_EQ(filtered.hits.size(), 13u);
  for (const auto& hit : filtered.hits) EXPECT_EQ(hit.id % 3, 0);
}

TEST(VocabularyTest, BadFileNamesFileAndLine) {
  auto single = Vocabulary::parse("expressions,note\nchatbot,seul\n", "synonymes.csv");
  ASSERT_FALSE(single.ok());
  EXPECT_NE(single.error().message.find("synonymes.csv, ligne 2"), std::string::npos);
  auto twice = Vocabulary::parse("expressions,note\nchatbot;robot,a\nbot;chatbot;Chatbot,b\n", "synonymes.csv");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("ligne 3"), std::string::npos);
  auto header = Vocabulary::parse("mots,note\nchatbot;robot,a\n", "sigles.csv");
  ASSERT_FALSE(header.ok());
  EXPECT_NE(header.error().message.find("sigles.csv, ligne 1"), std::string::npos);
}

}  // namespace
}  // namespace vigie::search
