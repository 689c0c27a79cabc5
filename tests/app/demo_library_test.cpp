// The demonstration library loaded for real: referential from the npm package, then
// data/demo/fiches.json through the same path as `vigie demo`.
#include "app/demo_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "store/sqlite/sqlite_instance.h"
#include "store/sqlite/sqlite_use_case_store.h"
#include "store/sqlite/sqlite_directory.h"
#include "territory/referential_loader.h"
#include "tests/support/fixtures.h"

namespace vigie::app {
namespace {

class DemoLibraryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    auto pool = store::sqlite::ConnectionPool::open(dir_->file("vigie.db"));
    ASSERT_TRUE(pool.ok()) << pool.error().message;
    pool_ = std::move(pool).value().release();
    store::sqlite::SqliteDirectory organisations(*pool_);
    auto loaded = territory::load_referential(organisations, test::source_dir() / "node_modules" / "@etalab" / "decoupage-administratif");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    store_ = new store::sqlite::SqliteUseCaseStore(*pool_, test::taxonomies(), clock_);
    auto report = load_demo(demo_file(), instance(), *store_, clock_);
    ASSERT_TRUE(report.ok()) << report.error().message << (report.error().fields.empty() ? "" : " " + report.error().fields[0].field + " " + report.error().fields[0].message);
    loaded_ = report->loaded;
  }
  static void TearDownTestSuite() {
    delete store_;
    delete pool_;
    delete dir_;
  }
  static std::filesystem::path demo_file() { return test::source_dir() / "data" / "demo" / "fiches.json"; }
  static store::sqlite::SqliteInstance& instance() {
    static store::sqlite::SqliteInstance made(*pool_);
    return made;
  }

  static std::vector<domain::UseCase> published() {
    store::UseCaseListQuery query;
    query.limit = 1000;
    return store_->list(query).value().items;
  }

  static inline test::TempDir* dir_ = nullptr;
  static inline store::sqlite::ConnectionPool* pool_ = nullptr;
  static inline store::sqlite::SqliteUseCaseStore* store_ = nullptr;
  static inline SystemClock clock_;
  static inline std::size_t loaded_ = 0;
};

TEST_F(DemoLibraryTest, HasAtLeastEightyFichesAllFlaggedDemo) {
  EXPECT_GE(loaded_, 80u);
  for (const auto& u : published()) EXPECT_TRUE(u.demo) << u.title;
}

TEST_F(DemoLibraryTest, CoversEveryDomainTechniquePurposeAndStatus) {
  std::map<std::string, std::set<std::string>> used;
  for (const auto& u : published()) {
    used["domaines"].insert(u.domains.begin(), u.domains.end());
    used["techniques"].insert(u.techniques.begin(), u.techniques.end());
    used["finalites"].insert(u.purposes.begin(), u.purposes.end());
    used["statuts"].insert(u.status);
  }
  for (const char* name : {"domaines", "techniques", "finalites", "statuts"}) {
    for (const auto& term : test::taxonomies().get(name).terms()) {
      EXPECT_TRUE(used[name].count(term.code)) << name << " : " << term.code << " n'est illustré par aucune fiche publiée";
    }
  }
}

TEST_F(DemoLibraryTest, CoversEveryAuthorityTypeAndEveryRegion) {
  store::sqlite::SqliteDirectory directory(*pool_);
  std::set<std::string> kinds;
  std::set<std::string> regions;
  for (const auto& u : published()) {
    for (const auto& code : u.owners) {
      auto owner = directory.find(code);
      ASSERT_TRUE(owner.ok()) << code;
      kinds.insert(owner->kind);
      if (!owner->region_code.empty()) regions.insert(owner->region_code);
    }
  }
  for (const char* kind : {"region", "departement", "epci", "commune", "collectivite-outre-mer"}) EXPECT_TRUE(kinds.count(kind)) << kind;
  for (const char* region : {"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"}) {
    EXPECT_TRUE(regions.count(region)) << "région " << region << " sans fiche";
  }
}

TEST_F(DemoLibraryTest, IncludesStoppedProjectsSharedProjectsAndReuse) {
  int stopped = 0, shared = 0, related = 0;
  for (const auto& u : published()) {
    if (u.status == "arrete") {
      ++stopped;
      EXPECT_FALSE(u.stop_reason.empty()) << u.title;
      EXPECT_FALSE(u.lessons_learned.empty()) << u.title;
    }
    if (u.owners.size() > 1) ++shared;
    if (!u.relations.empty()) ++related;
  }
  EXPECT_GE(stopped, 5);
  EXPECT_GE(shared, 5);
  EXPECT_GE(related, 5);
}

TEST_F(DemoLibraryTest, LoadingTheSameFileAgainChangesNothing) {
  auto before = store_->last_change();
  auto again = load_demo(demo_file(), instance(), *store_, clock_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_loaded);
  EXPECT_EQ(*store_->last_change(), *before);
}

TEST_F(DemoLibraryTest, ABrokenFicheIsReportedByItsKeyAndNothingIsLoaded) {
  test::TempDir dir;
  const auto broken = dir.file("fiches.json");
  std::ofstream(broken) << R"([{"cle": "a", "titre": "T", "resume": "R", "porteurs": ["999999999"], "domaines": ["mobilite"],
    "finalites": ["detection"], "techniques": ["vision"], "publics": ["agents"], "statut": "idee", "etatPublication": "publiee"}])";
  const auto count_before = store_->list({}).value().total;
  auto report = load_demo(broken, instance(), *store_, clock_);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("fiches.json"), std::string::npos);
  EXPECT_NE(report.error().message.find("fiche « a »"), std::string::npos) << report.error().message;
  ASSERT_FALSE(report.error().fields.empty());
  EXPECT_EQ(report.error().fields[0].field, "porteurs[0]");
  EXPECT_EQ(store_->list({}).value().total, count_before);
}

}  // namespace
}  // namespace vigie::app
