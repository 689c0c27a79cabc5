#include "territory/referential_loader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "domain/organisation.h"
#include "territory/directory.h"
#include "tests/territory/referential_support.h"

namespace vigie::territory {
namespace {

using namespace std::chrono_literals;
using domain::Organisation;
using test_support::TestDatabase;

const std::chrono::system_clock::time_point kFirstLoad = std::chrono::sys_days{std::chrono::May / 1 / 2024} + 8h;
const std::chrono::system_clock::time_point kSecondLoad = kFirstLoad + 24h;

std::int64_t single_integer(store::sqlite::Database& db, std::string_view sql) {
  auto statement = db.prepare(sql);
  EXPECT_TRUE(statement.ok()) << statement.error().message;
  if (!statement.ok()) return -1;
  auto row = statement->step();
  EXPECT_TRUE(row.ok() && *row);
  return statement->column_int(0);
}

// The real package, loaded once for the suite.
class ReferentialLoaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new TestDatabase;
    ASSERT_TRUE(database_->db);
    auto report = load_referential(*database_->db, test_support::package_dir(), kFirstLoad);
    ASSERT_TRUE(report.ok()) << report.error().message;
    report_ = new LoadReport(*report);
  }
  static void TearDownTestSuite() {
    delete report_;
    delete database_;
    report_ = nullptr;
    database_ = nullptr;
  }
  void SetUp() override {
    if (!report_) GTEST_SKIP() << "the referential did not load";
  }

  store::sqlite::Database& db() { return *database_->db; }
  Organisation find(std::string_view code) {
    Directory directory(db());
    auto found = directory.find(code);
    EXPECT_TRUE(found.ok()) << code << ": " << (found.ok() ? "" : found.error().message);
    return found.ok() ? *found : Organisation{};
  }

  static TestDatabase* database_;
  static LoadReport* report_;
};

TestDatabase* ReferentialLoaderTest::database_ = nullptr;
LoadReport* ReferentialLoaderTest::report_ = nullptr;

const std::map<std::string, std::int64_t> kCountsOfVersion6{
    {"region", 18},
    {"departement", 101},
    {"collectivite-outre-mer", 8},
    {"commune", 34969},
    {"commune-deleguee", 2105},
    {"commune-associee", 471},
    {"arrondissement-municipal", 45},
    {"epci", 1255},
    {"ept", 11},
};

TEST_F(ReferentialLoaderTest, StoresEveryOrganisationOfThePackageByKind) {
  Directory directory(db());
  auto counts = directory.count_by_kind();
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(*counts, kCountsOfVersion6);
  EXPECT_EQ(report_->counts_by_kind, kCountsOfVersion6);
  EXPECT_EQ(report_->version, "6.0.0");
}

TEST_F(ReferentialLoaderTest, LoadsInUnderTenSeconds) {
  EXPECT_LT(report_->elapsed, 10s);
}

TEST_F(ReferentialLoaderTest, EveryAttachedCommuneHasItsCommuneAsParent) {
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM organisations o WHERE o.kind IN "
                                  "('commune-deleguee', 'commune-associee', 'arrondissement-municipal') AND NOT EXISTS "
                                  "(SELECT 1 FROM organisations p WHERE p.code = o.parent_code AND p.kind = 'commune')"),
            0);
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM organisations WHERE parent_code IS NOT NULL"), 2105 + 471 + 45);
}

TEST_F(ReferentialLoaderTest, DelegatedCommuneSharingItsCommunesInseeCodeIsASeparateOrganisation) {
  const Organisation delegated = find("commune-deleguee-01015");
  EXPECT_EQ(delegated.name, "Arbignieu");
  EXPECT_EQ(delegated.kind, "commune-deleguee");
  EXPECT_EQ(delegated.insee_code, "01015");
  EXPECT_EQ(delegated.parent_code, "200053668");
  const Organisation commune = find("200053668");
  EXPECT_EQ(commune.name, "Arboys en Bugey");
  EXPECT_EQ(commune.insee_code, "01015");
}

TEST_F(ReferentialLoaderTest, CommuneCarriesItsTerritoryEpciAndPostalCodes) {
  const Organisation rennes = find("213502388");
  EXPECT_EQ(rennes.kind, "commune");
  EXPECT_EQ(rennes.siren, "213502388");
  EXPECT_EQ(rennes.insee_code, "35238");
  EXPECT_EQ(rennes.name, "Rennes");
  EXPECT_EQ(rennes.population, 230890);
  EXPECT_EQ(rennes.department_code, "35");
  EXPECT_EQ(rennes.region_code, "53");
  EXPECT_EQ(rennes.epci_code, "243500139");
  EXPECT_EQ(rennes.zone, "metro");
  EXPECT_EQ(rennes.postal_codes, (std::vector<std::string>{"35000", "35200", "35700"}));
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM organisation_postal_codes WHERE organisation_code = '213502388'"), 3);
}

TEST_F(ReferentialLoaderTest, EpciHasItsKindMunicipalPopulationAndSeat) {
  const Organisation metropole = find("243500139");
  EXPECT_EQ(metropole.kind, "epci");
  EXPECT_EQ(metropole.name, "Rennes Métropole");
  EXPECT_EQ(metropole.epci_kind, "METRO");
  EXPECT_EQ(metropole.population, 473973);
  EXPECT_EQ(metropole.department_code, "35");
  EXPECT_EQ(metropole.region_code, "53");
}

TEST_F(ReferentialLoaderTest, RegionAndDepartmentPopulationsAreTheSumsOfTheirCommunes) {
  EXPECT_EQ(find("region-53").population,
            single_integer(db(), "SELECT sum(population) FROM organisations WHERE kind = 'commune' AND region_code = '53'"));
  const Organisation department = find("departement-2A");
  EXPECT_EQ(department.name, "Corse-du-Sud");
  EXPECT_EQ(department.region_code, "94");
  EXPECT_EQ(department.population,
            single_integer(db(), "SELECT sum(population) FROM organisations WHERE kind = 'commune' AND department_code = '2A'"));
}

TEST_F(ReferentialLoaderTest, OverseasCollectivityIsOneOrganisationWithItsCommunes) {
  const Organisation polynesia = find("com-987");
  EXPECT_EQ(polynesia.kind, "collectivite-outre-mer");
  EXPECT_EQ(polynesia.name, "Polynésie française");
  EXPECT_EQ(polynesia.zone, "com");
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM organisations WHERE code IN ('region-987', 'departement-987')"), 0);
  const Organisation papeete = find("commune-98735");
  EXPECT_EQ(papeete.name, "Papeete");
  EXPECT_EQ(papeete.siren, "");
  EXPECT_EQ(papeete.department_code, "987");
}

TEST_F(ReferentialLoaderTest, RecordsTheVersionAndWhenRowsWereWritten) {
  const Organisation rennes = find("213502388");
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM referential_sources WHERE "
                                  "source = '@etalab/decoupage-administratif' AND version = '6.0.0' "
                                  "AND loaded_at = '2024-05-01T08:00:00Z'"),
            1);
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM organisations WHERE source_version = '6.0.0' "
                                  "AND updated_at = '2024-05-01T08:00:00Z'"),
            single_integer(db(), "SELECT count(*) FROM organisations"));
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM organisations WHERE search_key = 'st etienne'"), 1);
}

TEST_F(ReferentialLoaderTest, LoadingTheSameVersionAgainChangesNothing) {
  const std::string before = test_support::dump_referential_tables(db());
  auto report = load_referential(db(), test_support::package_dir(), kSecondLoad);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->organisations_written, 0);
  EXPECT_EQ(report->counts_by_kind, kCountsOfVersion6);
  EXPECT_EQ(test_support::dump_referential_tables(db()), before);
}

TEST_F(ReferentialLoaderTest, ReloadRefillsMissingWordKeys) {
  // As after migrating a database loaded before organisation_words existed.
  const std::string before = test_support::dump_referential_tables(db());
  ASSERT_TRUE(db().execute("DELETE FROM organisation_words").ok());
  auto report = load_referential(db(), test_support::package_dir(), kSecondLoad);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->organisations_written, 0);
  EXPECT_EQ(test_support::dump_referential_tables(db()), before);
}

TEST_F(ReferentialLoaderTest, WordKeysStartAtEachWord) {
  auto statement = db().prepare("SELECT word_key, first_word FROM organisation_words "
                                "WHERE organisation_code = '219400785' ORDER BY word_key");
  ASSERT_TRUE(statement.ok());
  std::vector<std::string> rows;
  while (*statement->step()) rows.push_back(statement->column_text(0) + " " + statement->column_text(1));
  EXPECT_EQ(rows, (std::vector<std::string>{"georges 0", "st georges 0", "villeneuve st georges 1"}));
}

// Tests that load altered copies of the package into databases of their own.
class ReferentialUpdateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(database_.db);
    test_support::copy_package(package_.path());
  }
  store::sqlite::Database& db() { return *database_.db; }
  std::filesystem::path data(const char* name) const { return package_.path() / "data" / name; }

  void load_original() {
    auto report = load_referential(db(), test_support::package_dir(), kFirstLoad);
    ASSERT_TRUE(report.ok()) << report.error().message;
  }

  TestDatabase database_;
  test::TempDir package_;
};

TEST_F(ReferentialUpdateTest, NewerVersionUpdatesRowsInPlaceAndKeepsThoseThatDisappeared) {
  ASSERT_NO_FATAL_FAILURE(load_original());
  test_support::replace_in_file(package_.path() / "package.json", "\"version\": \"6.0.0\"", "\"version\": \"6.1.0\"");
  test_support::replace_in_file(data("communes.json"), "\"nom\":\"Rennes\"", "\"nom\":\"Rennes-sur-Vilaine\"");
  // Arbignieu (commune déléguée 01015) leaves the package; its line ends with a comma.
  const std::string arbignieu =
      "{\"code\":\"01015\",\"nom\":\"Arbignieu\",\"typeLiaison\":1,\"zone\":\"metro\",\"type\":\"commune-deleguee\","
      "\"chefLieu\":\"01015\",\"arrondissement\":\"011\",\"departement\":\"01\",\"region\":\"84\"},\n";
  test_support::replace_in_file(data("communes.json"), arbignieu, "");

  auto report = load_referential(db(), package_.path(), kSecondLoad);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->version, "6.1.0");
  EXPECT_EQ(report->counts_by_kind.at("commune-deleguee"), 2104);

  Directory directory(db());
  auto rennes = directory.find("213502388");
  ASSERT_TRUE(rennes.ok());
  EXPECT_EQ(rennes->name, "Rennes-sur-Vilaine");
  EXPECT_EQ(rennes->postal_codes, (std::vector<std::string>{"35000", "35200", "35700"}));
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM organisations WHERE code = '213502388' "
                                  "AND search_key = 'rennes sur vilaine' AND source_version = '6.1.0' "
                                  "AND updated_at = '2024-05-02T08:00:00Z'"),
            1);
  auto by_word = directory.search("vilaine", 10);
  ASSERT_TRUE(by_word.ok());
  ASSERT_FALSE(by_word->empty());
  EXPECT_EQ(by_word->front().code, "213502388");

  auto arbignieu_kept = directory.find("commune-deleguee-01015");
  ASSERT_TRUE(arbignieu_kept.ok());
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM organisations WHERE code = 'commune-deleguee-01015' "
                                  "AND source_version = '6.0.0' AND updated_at = '2024-05-01T08:00:00Z'"),
            1);
  auto counts = directory.count_by_kind();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, kCountsOfVersion6);
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM referential_sources WHERE version = '6.1.0'"), 1);
}

TEST_F(ReferentialUpdateTest, MalformedFileFailsNamingItAndLeavesTheDatabaseUnchanged) {
  ASSERT_NO_FATAL_FAILURE(load_original());
  const std::string before = test_support::dump_referential_tables(db());
  const std::string epci = test_support::read_file(data("epci.json"));
  test_support::write_file(data("epci.json"), epci.substr(0, epci.size() / 2));

  auto report = load_referential(db(), package_.path(), kSecondLoad);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::invalid);
  EXPECT_NE(report.error().message.find("epci.json"), std::string::npos) << report.error().message;
  EXPECT_EQ(test_support::dump_referential_tables(db()), before);
}

TEST_F(ReferentialUpdateTest, EntryWithoutANameIsInvalid) {
  test_support::replace_in_file(data("regions.json"), "\"nom\":\"Bretagne\"", "\"name\":\"Bretagne\"");
  auto report = load_referential(db(), package_.path(), kFirstLoad);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::invalid);
  EXPECT_NE(report.error().message.find("regions.json"), std::string::npos) << report.error().message;
  EXPECT_NE(report.error().message.find("« nom »"), std::string::npos) << report.error().message;
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM organisations"), 0);
}

TEST_F(ReferentialUpdateTest, MissingFileIsUnavailableAndNamed) {
  std::filesystem::remove(data("ept.json"));
  auto report = load_referential(db(), package_.path(), kFirstLoad);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::unavailable);
  EXPECT_NE(report.error().message.find("ept.json"), std::string::npos) << report.error().message;
  EXPECT_EQ(single_integer(db(), "SELECT count(*) FROM organisations"), 0);
}

TEST_F(ReferentialUpdateTest, FailedWriteRollsBackEveryRow) {
  ASSERT_NO_FATAL_FAILURE(load_original());
  // An organisation recorded by hand holds the SIREN a new commune of the package brings: the
  // load fails on that commune, after the régions, départements and EPCI were rewritten.
  ASSERT_TRUE(db().execute("INSERT INTO organisations (code, siren, kind, name, search_key, updated_at) VALUES "
                           "('manual-1', '200999999', 'commune', 'Nouvelle', 'nouvelle', '2024-05-01T08:00:00Z')")
                  .ok());
  const std::string before = test_support::dump_referential_tables(db());
  test_support::replace_in_file(package_.path() / "package.json", "\"version\": \"6.0.0\"", "\"version\": \"6.1.0\"");
  test_support::replace_in_file(
      data("communes.json"), "[\n",
      "[\n{\"code\":\"01999\",\"nom\":\"Nouvelle\",\"zone\":\"metro\",\"departement\":\"01\",\"region\":\"84\","
      "\"type\":\"commune-actuelle\",\"siren\":\"200999999\",\"codesPostaux\":[\"01000\"],\"population\":1},\n");

  auto report = load_referential(db(), package_.path(), kSecondLoad);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::conflict) << report.error().message;
  EXPECT_EQ(test_support::dump_referential_tables(db()), before);
}

}  // namespace
}  // namespace vigie::territory
