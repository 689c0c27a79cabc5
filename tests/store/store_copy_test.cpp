// vigie copy-store: a whole instance from SQLite to PostgreSQL and back, row for row.
#include "store/store_copy.h"

#include <gtest/gtest.h>

#include "tests/support/backends.h"
#include "tests/support/fixtures.h"

namespace vigie::store {
namespace {

using test::Backend;
using test::BackendStore;

constexpr const char* kTables[] = {"referential_sources", "organisations", "organisation_postal_codes", "organisation_words",
                                   "use_cases", "use_case_owners", "use_case_terms", "use_case_relations", "use_case_revisions",
                                   "use_case_views", "changes", "audit_log", "assessments", "assessment_versions",
                                   "instance_secrets", "assessment_storage"};

// Every row of every table, in an order both backends give alike.
std::string dump(BackendStore& store) {
  std::string text;
  for (const char* table : kTables) {
    text += std::string("== ") + table + "\n";
    text += store.rows_text(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2");
  }
  return text;
}

// An instance with a little of everything: organisations (a parent after its member in the
// input), fiches with owners, relations, revisions and views, assessments with versions, a
// shared secret.
void fill(BackendStore& store) {
  domain::Organisation commune;
  commune.code = "213502388";
  commune.siren = "213502388";
  commune.kind = "commune";
  commune.name = "Rennes";
  commune.population = 230890;
  commune.postal_codes = {"35000", "35200"};
  commune.epci_code = "243500139";
  domain::Organisation epci;
  epci.code = "243500139";
  epci.siren = "243500139";
  epci.kind = "epci";
  epci.name = "Rennes Métropole";
  domain::Organisation region;
  region.code = "region-53";
  region.kind = "region";
  region.name = "Bretagne";
  ASSERT_TRUE(store.organisations().write_referential("test", "1", {region, epci, commune}, "2026-03-01T00:00:00Z").ok());
  auto first = store.use_cases().create(test::full_use_case(), Actor{"test"});
  ASSERT_TRUE(first.ok()) << first.error().message;
  domain::UseCase second = test::minimal_use_case();
  second.title = "Assistant de réponse aux usagers « Allô mairie »";
  second.relations = {{"reutilise", first->id}};
  auto created = store.use_cases().create(second, Actor{"test"});
  ASSERT_TRUE(created.ok()) << created.error().message;
  domain::UseCase changed = *created;
  changed.summary = "Résumé revu.";
  ASSERT_TRUE(store.use_cases().update(changed, 1, Actor{"test"}).ok());
  ASSERT_TRUE(store.use_cases().add_views({{first->id, 7}}).ok());
  auto assessments = store.assessments();
  auto assessment = assessments->create("evaluation-impact", "2026.1", R"({"q1":"a"})", Actor{"test"});
  ASSERT_TRUE(assessment.ok()) << assessment.error().message;
  ASSERT_TRUE(assessments->save(assessment->second, "2026.1", R"({"q1":"b"})", 1, {}, Actor{"test"}).ok());
  ASSERT_TRUE(store.instance().shared_secret("csrf", "s3cr3t", "2026-03-01T00:00:00Z").ok());
}

TEST(StoreCopyTest, AnInstanceGoesToPostgresqlAndBackRowForRow) {
  BackendStore sqlite(Backend::sqlite);
  ASSERT_TRUE(sqlite.ok());
  ASSERT_NO_FATAL_FAILURE(fill(sqlite));
  const std::string original = dump(sqlite);

  BackendStore postgres(Backend::postgres);
  ASSERT_TRUE(postgres.ok());
  auto there = copy_store(sqlite.location(), postgres.location());
  ASSERT_TRUE(there.ok()) << there.error().message;
  EXPECT_EQ(there->rows.at("use_cases"), 2);
  EXPECT_EQ(there->rows.at("organisations"), 3);
  EXPECT_EQ(there->rows.at("assessment_versions"), 2);
  EXPECT_FALSE(there->fiches_checksum.empty());
  EXPECT_EQ(dump(postgres), original);

  BackendStore back(Backend::sqlite);
  ASSERT_TRUE(back.ok());
  auto home = copy_store(postgres.location(), back.location());
  ASSERT_TRUE(home.ok()) << home.error().message;
  EXPECT_EQ(home->fiches_checksum, there->fiches_checksum);
  EXPECT_EQ(dump(back), original);

  // The copies live on: new ids and change sequences follow the copied ones.
  for (BackendStore* copy : {&postgres, &back}) {
    const std::int64_t last = copy->use_cases().last_change().value();
    auto added = copy->use_cases().create(test::minimal_use_case(), Actor{"test"});
    ASSERT_TRUE(added.ok()) << added.error().message;
    EXPECT_EQ(added->id, 3);
    EXPECT_EQ(copy->use_cases().last_change().value(), last + 1);
    EXPECT_EQ(copy->instance().shared_secret("csrf", "other", "t").value(), "s3cr3t");
    auto assessments = copy->assessments();
    EXPECT_TRUE(assessments->create("evaluation-impact", "2026.1", "{}", Actor{"test"}).ok());
  }
}

TEST(StoreCopyTest, ATargetThatHoldsDataIsRefusedAndLeftAsItWas) {
  BackendStore source(Backend::sqlite);
  ASSERT_TRUE(source.ok());
  ASSERT_NO_FATAL_FAILURE(fill(source));
  BackendStore target(Backend::postgres);
  ASSERT_TRUE(target.ok());
  ASSERT_NO_FATAL_FAILURE(fill(target));
  const std::string before = dump(target);
  auto refused = copy_store(source.location(), target.location());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::conflict);
  EXPECT_NE(refused.error().message.find("n'est pas vide"), std::string::npos) << refused.error().message;
  EXPECT_EQ(dump(target), before);
  auto itself = copy_store(source.location(), source.location());
  ASSERT_FALSE(itself.ok());
  EXPECT_EQ(itself.error().kind, ErrorKind::invalid);
}

TEST(StoreCopyTest, AFailedCopyLeavesTheTargetEmpty) {
  BackendStore source(Backend::sqlite);
  ASSERT_TRUE(source.ok());
  ASSERT_NO_FATAL_FAILURE(fill(source));
  // A row the target refuses (an owner naming no organisation; SQLite checks foreign keys only
  // when asked): the copy fails on it, after many rows were written.
  ASSERT_TRUE(source.execute("PRAGMA foreign_keys = OFF").ok());
  ASSERT_TRUE(source.execute("INSERT INTO use_case_owners (use_case_id, organisation_code, position) VALUES (1, 'inconnue', 9)").ok());
  BackendStore target(Backend::postgres);
  ASSERT_TRUE(target.ok());
  auto failed = copy_store(source.location(), target.location());
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("use_case_owners"), std::string::npos) << failed.error().message;
  EXPECT_EQ(target.count("SELECT count(*) FROM organisations"), 0);
  EXPECT_EQ(target.count("SELECT count(*) FROM use_cases"), 0);
}

}  // namespace
}  // namespace vigie::store
