#include "territory/referential_loader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "domain/organisation.h"
#include "tests/support/backends.h"
#include "tests/territory/referential_support.h"

namespace vigie::territory {
namespace {

using namespace std::chrono_literals;
using domain::Organisation;
using test::Backend;

const std::chrono::system_clock::time_point kFirstLoad = test::kReferentialLoadedAt;
const std::chrono::system_clock::time_point kSecondLoad = kFirstLoad + 24h;

// The real package as loaded into a store of each backend at kFirstLoad (tests/support/
// referential.h: once per run on PostgreSQL, every store a copy). Tests that reload get a copy
// of their own; those about the load's report load a store themselves.
class ReferentialLoaderTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { ASSERT_NE(test::store_with_referential(GetParam()), nullptr); }

  test::BackendStore& store() { return *test::store_with_referential(GetParam()); }
  std::int64_t count(const std::string& sql) { return store().count(sql); }
  Organisation find(std::string_view code) {
    auto found = store().organisations().find(code);
    EXPECT_TRUE(found.ok()) << code << ": " << (found.ok() ? "" : found.error().message);
    return found.ok() ? *found : Organisation{};
  }
  // A fresh load of the package into an empty store, and its report.
  LoadReport load_into_empty_store() {
    test::BackendStore empty(GetParam());
    EXPECT_TRUE(empty.ok());
    if (!empty.ok()) return {};
    auto report = load_referential(empty.organisations(), test_support::package_dir(), kFirstLoad);
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? *report : LoadReport{};
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, ReferentialLoaderTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         test::backend_name);

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

TEST_P(ReferentialLoaderTest, StoresEveryOrganisationOfThePackageByKind) {
  auto counts = store().organisations().count_by_kind();
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(*counts, kCountsOfVersion6);
  const LoadReport report = load_into_empty_store();
  EXPECT_EQ(report.counts_by_kind, kCountsOfVersion6);
  EXPECT_EQ(report.version, "6.0.0");
  EXPECT_EQ(report.organisations_written, 34969 + 2105 + 471 + 45 + 1255 + 11 + 18 + 101 + 8);
  // A bound against gross regressions on a loaded test machine (SQLite loads in about 1.5 s,
  // PostgreSQL in about 4 s: bench/referential_bench.cpp measures).
  EXPECT_LT(report.elapsed, 20s);
}

TEST_P(ReferentialLoaderTest, EveryAttachedCommuneHasItsCommuneAsParent) {
  EXPECT_EQ(count("SELECT count(*) FROM organisations o WHERE o.kind IN "
                                  "('commune-deleguee', 'commune-associee', 'arrondissement-municipal') AND NOT EXISTS "
                                  "(SELECT 1 FROM organisations p WHERE p.code = o.parent_code AND p.kind = 'commune')"),
            0);
  EXPECT_EQ(count("SELECT count(*) FROM organisations WHERE parent_code IS NOT NULL"), 2105 + 471 + 45);
}

TEST_P(ReferentialLoaderTest, DelegatedCommuneSharingItsCommunesInseeCodeIsASeparateOrganisation) {
  const Organisation delegated = find("commune-deleguee-01015");
  EXPECT_EQ(delegated.name, "Arbignieu");
  EXPECT_EQ(delegated.kind, "commune-deleguee");
  EXPECT_EQ(delegated.insee_code, "01015");
  EXPECT_EQ(delegated.parent_code, "200053668");
  const Organisation commune = find("200053668");
  EXPECT_EQ(commune.name, "Arboys en Bugey");
  EXPECT_EQ(commune.insee_code, "01015");
}

TEST_P(ReferentialLoaderTest, CommuneCarriesItsTerritoryEpciAndPostalCodes) {
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
  EXPECT_EQ(count("SELECT count(*) FROM organisation_postal_codes WHERE organisation_code = '213502388'"), 3);
}

TEST_P(ReferentialLoaderTest, EpciHasItsKindMunicipalPopulationAndSeat) {
  const Organisation metropole = find("243500139");
  EXPECT_EQ(metropole.kind, "epci");
  EXPECT_EQ(metropole.name, "Rennes Métropole");
  EXPECT_EQ(metropole.epci_kind, "METRO");
  EXPECT_EQ(metropole.population, 473973);
  EXPECT_EQ(metropole.department_code, "35");
  EXPECT_EQ(metropole.region_code, "53");
}

TEST_P(ReferentialLoaderTest, RegionAndDepartmentPopulationsAreTheSumsOfTheirCommunes) {
  EXPECT_EQ(find("region-53").population,
            count("SELECT sum(population) FROM organisations WHERE kind = 'commune' AND region_code = '53'"));
  const Organisation department = find("departement-2A");
  EXPECT_EQ(department.name, "Corse-du-Sud");
  EXPECT_EQ(department.region_code, "94");
  EXPECT_EQ(department.population,
            count("SELECT sum(population) FROM organisations WHERE kind = 'commune' AND department_code = '2A'"));
}

TEST_P(ReferentialLoaderTest, OverseasCollectivityIsOneOrganisationWithItsCommunes) {
  const Organisation polynesia = find("com-987");
  EXPECT_EQ(polynesia.kind, "collectivite-outre-mer");
  EXPECT_EQ(polynesia.name, "Polynésie française");
  EXPECT_EQ(polynesia.zone, "com");
  EXPECT_EQ(count("SELECT count(*) FROM organisations WHERE code IN ('region-987', 'departement-987')"), 0);
  const Organisation papeete = find("commune-98735");
  EXPECT_EQ(papeete.name, "Papeete");
  EXPECT_EQ(papeete.siren, "");
  EXPECT_EQ(papeete.department_code, "987");
}

TEST_P(ReferentialLoaderTest, RecordsTheVersionAndWhenRowsWereWritten) {
  const Organisation rennes = find("213502388");
  EXPECT_EQ(count("SELECT count(*) FROM referential_sources WHERE "
                                  "source = '@etalab/decoupage-administratif' AND version = '6.0.0' "
                                  "AND loaded_at = '2024-05-01T08:00:00Z'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM organisations WHERE source_version = '6.0.0' "
                                  "AND updated_at = '2024-05-01T08:00:00Z'"),
            count("SELECT count(*) FROM organisations"));
  EXPECT_EQ(count("SELECT count(*) FROM organisations WHERE search_key = 'st etienne'"), 1);
}

TEST_P(ReferentialLoaderTest, LoadingTheSameVersionAgainChangesNothing) {
  auto own = test::new_store_with_referential(GetParam());
  ASSERT_TRUE(own);
  const std::string before = test_support::dump_referential_tables(*own);
  auto report = load_referential(own->organisations(), test_support::package_dir(), kSecondLoad);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->organisations_written, 0);
  EXPECT_EQ(report->counts_by_kind, kCountsOfVersion6);
  EXPECT_EQ(test_support::dump_referential_tables(*own), before);
}

TEST_P(ReferentialLoaderTest, ReloadRefillsMissingWordKeys) {
  // As after migrating a database loaded before organisation_words existed.
  auto own = test::new_store_with_referential(GetParam());
  ASSERT_TRUE(own);
  const std::string before = test_support::dump_referential_tables(*own);
  ASSERT_TRUE(own->execute("DELETE FROM organisation_words").ok());
  auto report = load_referential(own->organisations(), test_support::package_dir(), kSecondLoad);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->organisations_written, 0);
  EXPECT_EQ(test_support::dump_referential_tables(*own), before);
}

TEST_P(ReferentialLoaderTest, WordKeysStartAtEachWord) {
  EXPECT_EQ(store().rows_text("SELECT word_key, first_word FROM organisation_words "
                              "WHERE organisation_code = '219400785' ORDER BY word_key"),
            "georges|0|\nst georges|0|\nvilleneuve st georges|1|\n");
}

// Tests that load altered copies of the package into databases of their own.
class ReferentialUpdateTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.ok());
    test_support::copy_package(package_.path());
  }
  store::OrganisationDirectory& directory() { return store_.organisations(); }
  std::int64_t count(const std::string& sql) { return store_.count(sql); }
  std::filesystem::path data(const char* name) const { return package_.path() / "data" / name; }

  void load_original() {
    auto report = load_referential(directory(), test_support::package_dir(), kFirstLoad);
    ASSERT_TRUE(report.ok()) << report.error().message;
  }

  test::BackendStore store_{GetParam()};
  test::TempDir package_;
};

INSTANTIATE_TEST_SUITE_P(Backends, ReferentialUpdateTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         test::backend_name);

TEST_P(ReferentialUpdateTest, NewerVersionUpdatesRowsInPlaceAndKeepsThoseThatDisappeared) {
  ASSERT_NO_FATAL_FAILURE(load_original());
  test_support::replace_in_file(package_.path() / "package.json", "\"version\": \"6.0.0\"", "\"version\": \"6.1.0\"");
  test_support::replace_in_file(data("communes.json"), "\"nom\":\"Rennes\"", "\"nom\":\"Rennes-sur-Vilaine\"");
  // Arbignieu (commune déléguée 01015) leaves the package; its line ends with a comma.
  const std::string arbignieu =
      "{\"code\":\"01015\",\"nom\":\"Arbignieu\",\"typeLiaison\":1,\"zone\":\"metro\",\"type\":\"commune-deleguee\","
      "\"chefLieu\":\"01015\",\"arrondissement\":\"011\",\"departement\":\"01\",\"region\":\"84\"},\n";
  test_support::replace_in_file(data("communes.json"), arbignieu, "");

  auto report = load_referential(directory(), package_.path(), kSecondLoad);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->version, "6.1.0");
  EXPECT_EQ(report->counts_by_kind.at("commune-deleguee"), 2104);

  auto rennes = directory().find("213502388");
  ASSERT_TRUE(rennes.ok());
  EXPECT_EQ(rennes->name, "Rennes-sur-Vilaine");
  EXPECT_EQ(rennes->postal_codes, (std::vector<std::string>{"35000", "35200", "35700"}));
  EXPECT_EQ(count("SELECT count(*) FROM organisations WHERE code = '213502388' "
                                  "AND search_key = 'rennes sur vilaine' AND source_version = '6.1.0' "
                                  "AND updated_at = '2024-05-02T08:00:00Z'"),
            1);
  auto by_word = directory().search("vilaine", 10);
  ASSERT_TRUE(by_word.ok());
  ASSERT_FALSE(by_word->empty());
  EXPECT_EQ(by_word->front().code, "213502388");

  auto arbignieu_kept = directory().find("commune-deleguee-01015");
  ASSERT_TRUE(arbignieu_kept.ok());
  EXPECT_EQ(count("SELECT count(*) FROM organisations WHERE code = 'commune-deleguee-01015' "
                                  "AND source_version = '6.0.0' AND updated_at = '2024-05-01T08:00:00Z'"),
            1);
  auto counts = directory().count_by_kind();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, kCountsOfVersion6);
  EXPECT_EQ(count("SELECT count(*) FROM referential_sources WHERE version = '6.1.0'"), 1);
}

TEST_P(ReferentialUpdateTest, MalformedFileFailsNamingItAndLeavesTheDatabaseUnchanged) {
  ASSERT_NO_FATAL_FAILURE(load_original());
  const std::string before = test_support::dump_referential_tables(store_);
  const std::string epci = test_support::read_file(data("epci.json"));
  test_support::write_file(data("epci.json"), epci.substr(0, epci.size() / 2));

  auto report = load_referential(directory(), package_.path(), kSecondLoad);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::invalid);
  EXPECT_NE(report.error().message.find("epci.json"), std::string::npos) << report.error().message;
  EXPECT_EQ(test_support::dump_referential_tables(store_), before);
}

TEST_P(ReferentialUpdateTest, EntryWithoutANameIsInvalid) {
  test_support::replace_in_file(data("regions.json"), "\"nom\":\"Bretagne\"", "\"name\":\"Bretagne\"");
  auto report = load_referential(directory(), package_.path(), kFirstLoad);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::invalid);
  EXPECT_NE(report.error().message.find("regions.json"), std::string::npos) << report.error().message;
  EXPECT_NE(report.error().message.find("« nom »"), std::string::npos) << report.error().message;
  EXPECT_EQ(count("SELECT count(*) FROM organisations"), 0);
}

TEST_P(ReferentialUpdateTest, MissingFileIsUnavailableAndNamed) {
  std::filesystem::remove(data("ept.json"));
  auto report = load_referential(directory(), package_.path(), kFirstLoad);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::unavailable);
  EXPECT_NE(report.error().message.find("ept.json"), std::string::npos) << report.error().message;
  EXPECT_EQ(count("SELECT count(*) FROM organisations"), 0);
}

TEST_P(ReferentialUpdateTest, FailedWriteRollsBackEveryRow) {
  ASSERT_NO_FATAL_FAILURE(load_original());
  // An organisation recorded by hand holds the SIREN a new commune of the package brings: the
  // load fails on that commune, after the régions, départements and EPCI were rewritten.
  ASSERT_TRUE(store_.execute("INSERT INTO organisations (code, siren, kind, name, search_key, updated_at) VALUES "
                           "('manual-1', '200999999', 'commune', 'Nouvelle', 'nouvelle', '2024-05-01T08:00:00Z')")
                  .ok());
  const std::string before = test_support::dump_referential_tables(store_);
  test_support::replace_in_file(package_.path() / "package.json", "\"version\": \"6.0.0\"", "\"version\": \"6.1.0\"");
  test_support::replace_in_file(
      data("communes.json"), "[\n",
      "[\n{\"code\":\"01999\",\"nom\":\"Nouvelle\",\"zone\":\"metro\",\"departement\":\"01\",\"region\":\"84\","
      "\"type\":\"commune-actuelle\",\"siren\":\"200999999\",\"codesPostaux\":[\"01000\"],\"population\":1},\n");

  auto report = load_referential(directory(), package_.path(), kSecondLoad);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::conflict) << report.error().message;
  EXPECT_EQ(test_support::dump_referential_tables(store_), before);
}

}  // namespace
}  // namespace vigie::territory
