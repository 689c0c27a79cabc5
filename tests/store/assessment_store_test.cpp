#include "store/sqlite/sqlite_assessment_store.h"

#include <gtest/gtest.h>

#include "domain/use_case_json.h"
#include "tests/support/fixtures.h"

namespace vigie::store::sqlite {
namespace {

class AssessmentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pool = ConnectionPool::open(dir_.file("vigie.db"));
    ASSERT_TRUE(pool.ok()) << pool.error().message;
    pool_ = std::move(pool).value();
    auto db = pool_->acquire();
    ASSERT_TRUE(db.ok());
    test::insert_organisations(**db);
    use_cases_ = std::make_unique<SqliteUseCaseStore>(*pool_, test::taxonomies(), clock_);
    store_ = std::make_unique<SqliteAssessmentStore>(*pool_, *use_cases_, clock_);
  }

  std::int64_t count(const std::string& sql) {
    auto db = pool_->acquire();
    auto statement = (*db)->prepare(sql);
    EXPECT_TRUE(statement.ok());
    EXPECT_TRUE(*statement->step());
    return statement->column_int(0);
  }

  static domain::AssessmentSummary high_risk() {
    domain::AssessmentSummary summary;
    summary.outcomes = {"haut-risque", "transparence"};
    return summary;
  }

  test::TempDir dir_;
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 29}};
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<SqliteUseCaseStore> use_cases_;
  std::unique_ptr<SqliteAssessmentStore> store_;
  Actor actor_{"test"};
};

TEST_F(AssessmentStoreTest, APrivateLinkFindsTheAssessmentAndOnlyItsHashIsStored) {
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
  EXPECT_EQ(count("SELECT count(*) FROM assessments WHERE instr(token_hash, '" + token + "') > 0"), 0);
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
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'evaluation' AND action = 'create'"), 2);
}

TEST_F(AssessmentStoreTest, SavingAddsAVersionAndNeverOverwrites) {
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

TEST_F(AssessmentStoreTest, AttachingKeepsTheLatestResultInTheFicheAndFollowsNewVersions) {
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

TEST_F(AssessmentStoreTest, AttachingToAMissingFicheChangesNothing) {
  auto created = store_->create("evaluation-impact", "2026.1", "{}", actor_);
  ASSERT_TRUE(created.ok());
  auto attached = store_->attach(created->second, 999, false, {}, actor_);
  ASSERT_FALSE(attached.ok());
  EXPECT_EQ(attached.error().kind, ErrorKind::not_found);
  EXPECT_FALSE(store_->find(created->second)->use_case.has_value());
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'attach'"), 0);
}

}  // namespace
}  // namespace vigie::store::sqlite
