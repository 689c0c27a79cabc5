// AssessmentStore's contract, on every backend (tests/support/backends.h).
#include "store/assessment_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "domain/use_case_json.h"
#include "tests/support/backends.h"

namespace vigie::store {
namespace {

using test::Backend;

class AssessmentStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(backend_.ok());
    ASSERT_TRUE(backend_.execute(test::kOrganisationsSql).ok());
    use_cases_ = &backend_.use_cases();
    store_ = backend_.assessments();
  }

  std::size_t audit_entries(AuditQuery query) {
    query.limit = 100000;
    auto entries = backend_.audit_log().entries(query);
    EXPECT_TRUE(entries.ok()) << entries.error().message;
    return entries.ok() ? entries->size() : 0;
  }
  // How the rows are kept (a hash instead of the token, the quota's byte count): SQL that both
  // backends read alike, since no interface shows them.
  std::int64_t count(const std::string& sql) { return backend_.count(sql); }

  static domain::AssessmentSummary high_risk() {
    domain::AssessmentSummary summary;
    summary.outcomes = {"haut-risque", "transparence"};
    return summary;
  }

  test::BackendStore backend_{GetParam()};
  FixedClock& clock_ = backend_.clock();
  UseCaseStore* use_cases_ = nullptr;
  std::unique_ptr<AssessmentStore> store_;
  Actor actor_{"test"};
};

TEST_P(AssessmentStoreTest, APrivateLinkFindsTheAssessmentAndOnlyItsHashIsStored) {
  auto created = store_->create("classification-ai-act", "2026.1", R"({"systeme-ia":"oui"})", actor_);
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto& [saved, token] = *created;
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(saved.latest.version, 1);
  auto found = store_->find(token);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, saved.id);
  EXPECT_EQ(found->tool, "classification-ai-act");
  EXPECT_EQ(found->latest.answers_json, R"({"systeme-ia":"oui"})");
  EXPECT_EQ(count("SELECT count(*) FROM assessments WHERE token_hash = '" + token + "'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM assessments WHERE length(token_hash) <> 64"), 0) << "a BLAKE2b-256 hash, in hex";
  // Two links never collide; a wrong, truncated or malformed token finds nothing.
  auto other = store_->create("classification-ai-act", "2026.1", "{}", actor_);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->second, token);
  std::string altered = token;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  for (const std::string& wrong : {altered, token.substr(0, 42), std::string("../../etc/passwd"), std::string()}) {
    auto missing = store_->find(wrong);
    ASSERT_FALSE(missing.ok()) << wrong;
    EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  }
  EXPECT_EQ(audit_entries({.entity = "evaluation", .action = "create"}), 2u);
}

TEST_P(AssessmentStoreTest, SavingAddsAVersionAndNeverOverwrites) {
  auto created = store_->create("evaluation-impact", "2026.1", R"({"q1":"a"})", actor_);
  ASSERT_TRUE(created.ok());
  const std::string token = created->second;
  auto second = store_->save(token, "2026.1", R"({"q1":"b"})", 1, {}, actor_);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->latest.version, 2);
  auto stale = store_->save(token, "2026.1", R"({"q1":"c"})", 1, {}, actor_);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind, ErrorKind::conflict);
  auto versions = store_->versions(token);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].answers_json, R"({"q1":"a"})");
  EXPECT_EQ((*versions)[1].answers_json, R"({"q1":"b"})");
  auto refused = store_->save(token, "2026.1", "[1, 2]", 2, {}, actor_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::invalid);
  EXPECT_EQ(store_->versions(token)->size(), 2u);
}

TEST_P(AssessmentStoreTest, AttachingKeepsTheLatestResultInTheFicheAndFollowsNewVersions) {
  auto fiche = use_cases_->create(test::minimal_use_case(), actor_);
  ASSERT_TRUE(fiche.ok());
  auto created = store_->create("classification-ai-act", "2026.1", R"({"systeme-ia":"oui"})", actor_);
  ASSERT_TRUE(created.ok());
  const std::string token = created->second;

  auto attached = store_->attach(token, fiche->id, false, high_risk(), actor_);
  ASSERT_TRUE(attached.ok()) << attached.error().message;
  ASSERT_EQ(attached->assessments.size(), 1u);
  const auto& summary = attached->assessments[0];
  EXPECT_EQ(summary.tool, "classification-ai-act");
  EXPECT_EQ(summary.version, 1);
  EXPECT_EQ(summary.questionnaire_version, "2026.1");
  EXPECT_EQ(summary.outcomes, (std::vector<std::string>{"haut-risque", "transparence"}));
  EXPECT_TRUE(summary.answers_json.empty()) << "answers are published only on request";
  EXPECT_EQ(attached->revision, 2);

  // A new version of the answers updates the fiche's summary, published this time.
  ASSERT_TRUE(store_->attach(token, fiche->id, true, high_risk(), actor_).ok());
  domain::AssessmentSummary minimal;
  minimal.outcomes = {"risque-minimal"};
  ASSERT_TRUE(store_->save(token, "2026.2", R"({"systeme-ia":"non"})", 1, minimal, actor_).ok());
  auto read = use_cases_->get(fiche->id);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->assessments.size(), 1u);
  EXPECT_EQ(read->assessments[0].version, 2);
  EXPECT_EQ(read->assessments[0].questionnaire_version, "2026.2");
  EXPECT_EQ(read->assessments[0].outcomes, std::vector<std::string>{"risque-minimal"});
  EXPECT_EQ(read->assessments[0].answers_json, R"({"systeme-ia":"non"})");
  // The API shows it, and a client's update cannot change or drop it.
  const auto document = domain::to_json(*read);
  EXPECT_EQ(document["evaluations"][0]["resultats"][0], "risque-minimal");
  EXPECT_EQ(document["evaluations"][0]["reponses"]["systeme-ia"], "non");
  auto from_client = domain::from_json(document);
  ASSERT_TRUE(from_client.ok());
  EXPECT_TRUE(from_client->assessments.empty());
  from_client->id = read->id;
  auto updated = use_cases_->update(*from_client, read->revision, actor_);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->assessments, read->assessments);

  // Attached to another fiche: the first one loses it.
  auto other = use_cases_->create(test::minimal_use_case(), actor_);
  ASSERT_TRUE(store_->attach(token, other->id, false, minimal, actor_).ok());
  EXPECT_TRUE(use_cases_->get(fiche->id)->assessments.empty());
  EXPECT_EQ(use_cases_->get(other->id)->assessments.size(), 1u);
}

TEST_P(AssessmentStoreTest, AttachingToAMissingFicheChangesNothing) {
  auto created = store_->create("evaluation-impact", "2026.1", "{}", actor_);
  ASSERT_TRUE(created.ok());
  auto attached = store_->attach(created->second, 999, false, {}, actor_);
  ASSERT_FALSE(attached.ok());
  EXPECT_EQ(attached.error().kind, ErrorKind::not_found);
  EXPECT_FALSE(store_->find(created->second)->use_case.has_value());
  EXPECT_EQ(audit_entries({.action = "attach"}), 0u);
}

// Two tabs saving the same version at once: one is kept as the next version, the other is told
// to reload; no version is lost or written twice.
TEST_P(AssessmentStoreTest, SimultaneousSavesOfOneVersionGiveOneWinnerAndOneConflict) {
  auto created = store_->create("classification-ai-act", "2026.1", "{}", actor_);
  ASSERT_TRUE(created.ok()) << created.error().message;
  const std::string token = created->second;
  for (std::int64_t version = 1; version <= 4; ++version) {
    std::vector<Result<SavedAssessment>> results(2, Error::internal("pas lancé"));
    std::vector<std::thread> tabs;
    for (std::size_t t = 0; t < 2; ++t) {
      tabs.emplace_back([&, t] {
        results[t] = store_->save(token, "2026.1", "{\"onglet\":" + std::to_string(t) + "}", version, {}, actor_);
      });
    }
    for (auto& tab : tabs) tab.join();
    ASSERT_EQ((results[0].ok() ? 1 : 0) + (results[1].ok() ? 1 : 0), 1) << "version " << version;
    const auto& lost = results[0].ok() ? results[1] : results[0];
    EXPECT_EQ(lost.error().kind, ErrorKind::conflict) << lost.error().message;
  }
  const auto versions = store_->versions(token);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 5u);
  for (std::size_t i = 0; i < versions->size(); ++i) EXPECT_EQ((*versions)[i].version, static_cast<std::int64_t>(i + 1));
}

// A JSON object of exactly `bytes` bytes.
std::string answers_of(std::size_t bytes) { return "{\"t\":\"" + std::string(bytes - 8, 'x') + "\"}"; }

class AssessmentLimitsTest : public AssessmentStoreTest {
 protected:
  void SetUp() override {
    AssessmentStoreTest::SetUp();
    AssessmentLimits limits;
    limits.max_answers_bytes = 100;
    limits.max_total_bytes = 300;
    limits.versions_kept = 3;
    limited_ = backend_.assessments(limits);
  }

  // Saves `bytes` of answers as the next version of `token`, a second later than the last save.
  Result<SavedAssessment> save_next(const std::string& token, std::size_t bytes) {
    clock_.advance(std::chrono::seconds(1));
    auto found = limited_->find(token);
    if (!found.ok()) return found.error();
    return limited_->save(token, "2026.1", answers_of(bytes), found->latest.version, {}, actor_);
  }
  std::string create(std::size_t bytes) {
    clock_.advance(std::chrono::seconds(1));
    auto created = limited_->create("analyse-droits-fondamentaux", "2026.1", answers_of(bytes), actor_);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? created->second : std::string();
  }
  std::vector<std::int64_t> versions_of(const std::string& token) {
    std::vector<std::int64_t> numbers;
    const auto versions = limited_->versions(token);
    EXPECT_TRUE(versions.ok());
    if (!versions.ok()) return numbers;
    for (const auto& version : *versions) numbers.push_back(version.version);
    return numbers;
  }
  std::int64_t counted_bytes() { return count("SELECT answers_bytes FROM assessment_storage"); }
  std::int64_t actual_bytes() {
    return count(backend_.backend() == Backend::sqlite
                     ? "SELECT coalesce(sum(length(CAST(answers AS BLOB))), 0) FROM assessment_versions"
                     : "SELECT coalesce(sum(octet_length(answers)), 0) FROM assessment_versions");
  }

  std::unique_ptr<AssessmentStore> limited_;
};

TEST_P(AssessmentLimitsTest, AnswersLargerThanOneSaveMayHoldAreRefusedAsTooLarge) {
  auto created = limited_->create("analyse-droits-fondamentaux", "2026.1", answers_of(101), actor_);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind, ErrorKind::too_large);
  EXPECT_NE(created.error().message.find("raccourcissez"), std::string::npos);
  const std::string token = create(100);
  auto saved = save_next(token, 101);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().kind, ErrorKind::too_large);
  EXPECT_EQ(versions_of(token), (std::vector<std::int64_t>{1}));
}

TEST_P(AssessmentLimitsTest, AnUnattachedAssessmentKeepsItsLatestVersionsOnly) {
  const std::string token = create(10);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(save_next(token, 10).ok());
  EXPECT_EQ(versions_of(token), (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_EQ(audit_entries({.actor = "systeme:quota", .action = "prune"}), 2u);
  EXPECT_EQ(counted_bytes(), actual_bytes());
}

TEST_P(AssessmentLimitsTest, AnAttachedAssessmentKeepsEveryVersion) {
  auto fiche = use_cases_->create(test::minimal_use_case(), actor_);
  ASSERT_TRUE(fiche.ok());
  const std::string token = create(10);
  ASSERT_TRUE(limited_->attach(token, fiche->id, false, {}, actor_).ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(save_next(token, 10).ok());
  EXPECT_EQ(versions_of(token), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
}

TEST_P(AssessmentLimitsTest, TheQuotaPrunesTheOldestSupersededUnattachedVersionsFirst) {
  auto fiche = use_cases_->create(test::minimal_use_case(), actor_);
  ASSERT_TRUE(fiche.ok());
  const std::string attached = create(50);  // oldest of all, but attached: never pruned
  ASSERT_TRUE(limited_->attach(attached, fiche->id, false, {}, actor_).ok());
  ASSERT_TRUE(save_next(attached, 50).ok());
  const std::string first = create(50);
  ASSERT_TRUE(save_next(first, 50).ok());
  const std::string second = create(50);
  ASSERT_TRUE(save_next(second, 50).ok());
  EXPECT_EQ(counted_bytes(), 300);
  // 50 more bytes: the oldest superseded unattached version goes, first's version 1.
  const std::string third = create(50);
  EXPECT_EQ(versions_of(attached), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(versions_of(first), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(versions_of(second), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(versions_of(third), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(counted_bytes(), 300);
  EXPECT_EQ(counted_bytes(), actual_bytes());
}

TEST_P(AssessmentLimitsTest, WhenOnlyLatestVersionsRemainTheSaveIsRefusedAndNothingIsDeleted) {
  const std::string a = create(100);
  const std::string b = create(100);
  ASSERT_TRUE(save_next(b, 50).ok());  // b: 100 + 50
  // 300 - 250 = 50 free; 90 more needs b's version 1 (100 bytes) to go: it does.
  const std::string c = create(90);
  EXPECT_EQ(versions_of(b), (std::vector<std::int64_t>{2}));
  // Now 100 + 50 + 90 = 240; 80 more cannot fit without deleting a latest version.
  const auto before_audit = audit_entries({});
  auto refused = limited_->create("analyse-droits-fondamentaux", "2026.1", answers_of(80), actor_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::exhausted);
  EXPECT_NE(refused.error().message.find("plein"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM assessments"), 3);
  EXPECT_EQ(audit_entries({}), before_audit);
  EXPECT_EQ(counted_bytes(), 240);
  EXPECT_EQ(counted_bytes(), actual_bytes());
  // A save of an existing link that needs room is refused the same way.
  auto grown = save_next(a, 100);
  ASSERT_FALSE(grown.ok());
  EXPECT_EQ(grown.error().kind, ErrorKind::exhausted);
  EXPECT_EQ(versions_of(a), (std::vector<std::int64_t>{1}));
}

INSTANTIATE_TEST_SUITE_P(Backends, AssessmentStoreTest, testing::Values(Backend::sqlite, Backend::postgres), test::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, AssessmentLimitsTest, testing::Values(Backend::sqlite, Backend::postgres), test::backend_name);

}  // namespace
}  // namespace vigie::store
