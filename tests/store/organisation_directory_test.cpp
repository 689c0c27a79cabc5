// store::OrganisationDirectory's contract, on every backend, over the real referential.
#include "store/organisation_directory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/text.h"
#include "tests/support/backends.h"
#include "tests/support/referential.h"

namespace vigie::store {
namespace {

using domain::Organisation;
using test::Backend;
using ::testing::ElementsAre;

constexpr const char* kRennes = "213502388";
constexpr const char* kRennesMetropole = "243500139";
constexpr const char* kSaintEtienne = "214202186";
constexpr const char* kOrleans = "214502346";
constexpr const char* kMarseille = "211300553";

std::vector<std::string> codes_of(const std::vector<Organisation>& organisations) {
  std::vector<std::string> codes;
  for (const Organisation& organisation : organisations) codes.push_back(organisation.code);
  return codes;
}

// The real package, loaded once per backend for the suite (the tests only read).
class DirectoryTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { ASSERT_NE(loaded(), nullptr) << "the referential did not load"; }

  test::BackendStore* loaded() { return test::store_with_referential(GetParam()); }
  OrganisationDirectory& directory() { return loaded()->organisations(); }

  std::vector<Organisation> search(std::string_view query, std::size_t limit = 10) {
    auto found = directory().search(query, limit);
    EXPECT_TRUE(found.ok()) << query << ": " << (found.ok() ? "" : found.error().message);
    return found.ok() ? *found : std::vector<Organisation>{};
  }
  std::string first_found(std::string_view query) {
    const auto found = search(query);
    return found.empty() ? std::string("(nothing)") : found.front().code;
  }
  Organisation find(std::string_view code) {
    auto found = directory().find(code);
    EXPECT_TRUE(found.ok()) << code;
    return found.ok() ? *found : Organisation{};
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, DirectoryTest, ::testing::Values(Backend::sqlite, Backend::postgres), test::backend_name);

TEST_P(DirectoryTest, FindsByCode) {
  EXPECT_EQ(find(kRennes).name, "Rennes");
  EXPECT_EQ(find("region-53").name, "Bretagne");
  EXPECT_EQ(find("arrondissement-municipal-13201").name, "Marseille 1er Arrondissement");
}

TEST_P(DirectoryTest, UnknownCodeIsNotFound) {
  // Whatever an address bar brings: not UTF-8, SQL, too long.
  for (const std::string& code : {std::string("999999999"), std::string("\xff\xfe"), std::string("' OR 1=1 --"),
                                  std::string(4096, '9'), std::string()}) {
    auto found = directory().find(code);
    ASSERT_FALSE(found.ok()) << code.substr(0, 20);
    EXPECT_EQ(found.error().kind, ErrorKind::not_found) << code.substr(0, 20) << ": " << found.error().message;
  }
}

struct SearchCase {
  const char* query;
  const char* first;
};

TEST_P(DirectoryTest, FindsTheExpectedOrganisationFirst) {
  const SearchCase cases[] = {
      {"st etienne", kSaintEtienne},
      {"Saint-Étienne", kSaintEtienne},
      {"saint eti", kSaintEtienne},
      {"SAINT ETIENNE", kSaintEtienne},
      {"  saint-étienne  ", kSaintEtienne},
      {"35000", kRennes},
      {"35238", kRennes},
      {kRennes, kRennes},
      {"213 502 388", kRennes},
      {"rennes", kRennes},
      {"ORLÉANS", kOrleans},
      {"orleans", kOrleans},
      {"Orléa", kOrleans},  // the commune before the larger Orléans Métropole
      {"marseille", kMarseille},
      {"Marseille 1er", "arrondissement-municipal-13201"},
      {"Arbignieu", "commune-deleguee-01015"},
      {"2A004", "212000046"},
      {"2a004", "212000046"},
      {"paris", "217500016"},
      {"Rennes Métropole", kRennesMetropole},
      {"bretagne", "region-53"},
      {"polynesie", "com-987"},
  };
  for (const SearchCase& c : cases) EXPECT_EQ(first_found(c.query), c.first) << c.query;
}

TEST_P(DirectoryTest, ANameWithATypoFindsTheClosestNames) {
  for (const auto& [typed, expected] : std::vector<std::pair<std::string, std::string>>{
           {"Marseile", kMarseille}, {"Rennnes", kRennes}, {"Orleens", kOrleans}, {"Saint-Ettienne", kSaintEtienne}}) {
    EXPECT_TRUE(search(typed, 5).empty()) << typed;  // search() itself does not guess
    auto closest = directory().closest_names(typed, 5);
    ASSERT_TRUE(closest.ok()) << closest.error().message;
    ASSERT_FALSE(closest->empty()) << typed;
    EXPECT_EQ(closest->front().code, expected) << typed;
  }
}

TEST_P(DirectoryTest, ClosestNamesKeepOnlyTheFewestEditsAndIgnoreCodesAndShortQueries) {
  auto closest = directory().closest_names("Bordeau", 10);
  ASSERT_TRUE(closest.ok());
  ASSERT_FALSE(closest->empty());
  for (const auto& organisation : *closest) EXPECT_EQ(text::edit_distance(text::place_key(organisation.name), "bordeau", 2), 1u) << organisation.name;
  EXPECT_TRUE(directory().closest_names("35000", 5)->empty());
  EXPECT_TRUE(directory().closest_names("Lio", 5)->empty());
  EXPECT_TRUE(directory().closest_names("Zzzzzzzzzz", 5)->empty());
}

TEST_P(DirectoryTest, FindsANameFromAnyOfItsWords) {
  const std::vector<std::string> found = codes_of(search("georges", 1000));
  EXPECT_NE(std::find(found.begin(), found.end(), "219400785"), found.end());  // Villeneuve-Saint-Georges
  EXPECT_EQ(codes_of(search("metropole rennes", 5)), std::vector<std::string>{});
  EXPECT_EQ(first_found("etienne"), kSaintEtienne);
}

TEST_P(DirectoryTest, BeginningOfSaintAlsoMatchesNamesWithSt) {
  const std::vector<Organisation> found = search("sai", 20);
  ASSERT_EQ(found.size(), 20u);
  const bool has_a_saint = std::any_of(found.begin(), found.end(),
                                       [](const Organisation& o) { return o.name.rfind("Saint", 0) == 0; });
  EXPECT_TRUE(has_a_saint);
  // "saint" written in full still finds names that begin with those letters.
  EXPECT_EQ(first_found("saintes"), "211704150");
}

TEST_P(DirectoryTest, RanksCommunesByPopulationBeforeOtherKinds) {
  const std::vector<Organisation> found = search("sai", 50);
  ASSERT_EQ(found.size(), 50u);
  EXPECT_EQ(found[0].name, "Sai");  // the exact name, a commune of 230 inhabitants
  EXPECT_EQ(found[1].code, kSaintEtienne);
  for (std::size_t i = 1; i < found.size(); ++i) {
    EXPECT_EQ(found[i].kind, "commune") << found[i].name;
    if (i > 1) {
      EXPECT_GE(found[i - 1].population.value_or(-1), found[i].population.value_or(-1)) << found[i].name;
    }
  }
  // Saint-Étienne Métropole comes after every commune Saint-Étienne-….
  const std::vector<std::string> saint_etienne = codes_of(search("saint etienne", 1000));
  const auto metropole = std::find(saint_etienne.begin(), saint_etienne.end(), "244200770");
  ASSERT_NE(metropole, saint_etienne.end());
  EXPECT_EQ(find(*(metropole - 1)).kind, "commune");
}

TEST_P(DirectoryTest, ExactNamesComeFirstWhateverTheirKind) {
  EXPECT_THAT(codes_of(search("bretagne", 3)), ElementsAre("region-53", "219000197", "213600240"));
  // Paris is a commune and a département of the same name and population: the commune first.
  EXPECT_THAT(codes_of(search("paris", 2)), ElementsAre("217500016", "departement-75"));
}

TEST_P(DirectoryTest, FiveDigitsFindPostalAndInseeCodes) {
  // 13001 is the postal code of Marseille's 1er arrondissement and the INSEE code of Aix.
  EXPECT_THAT(codes_of(search("13001", 50)), ElementsAre(kMarseille, "211300017", "arrondissement-municipal-13201"));
}

TEST_P(DirectoryTest, InseeCodeSharedByACommuneAndItsDelegatedCommuneFindsBoth) {
  EXPECT_THAT(codes_of(search("01015")), ElementsAre("200053668", "commune-deleguee-01015"));
}

TEST_P(DirectoryTest, RespectsTheLimit) {
  EXPECT_EQ(search("sai", 5).size(), 5u);
  EXPECT_TRUE(search("sai", 0).empty());
}

TEST_P(DirectoryTest, QueryWithNothingToSearchFindsNothing) {
  for (const std::string& query : {std::string(), std::string("%%%"), std::string("  - ' "), std::string("\xff\xfe"),
                                   std::string(10 * 1024, 'a'), std::string("1234567")}) {
    auto found = directory().search(query, 10);
    ASSERT_TRUE(found.ok()) << found.error().message;
    EXPECT_TRUE(found->empty()) << query.substr(0, 20);
  }
}

TEST_P(DirectoryTest, ParentsOfACommuneAreItsEpciDepartmentAndRegion) {
  auto parents = directory().parents(find(kRennes));
  ASSERT_TRUE(parents.ok());
  EXPECT_THAT(codes_of(*parents), ElementsAre(kRennesMetropole, "departement-35", "region-53"));
}

TEST_P(DirectoryTest, ParentsOfADelegatedCommuneStartWithItsCommune) {
  auto parents = directory().parents(find("commune-deleguee-01015"));
  ASSERT_TRUE(parents.ok());
  EXPECT_THAT(codes_of(*parents), ElementsAre("200053668", "departement-01", "region-84"));
}

TEST_P(DirectoryTest, ParentsOfOtherKinds) {
  auto of_epci = directory().parents(find(kRennesMetropole));
  auto of_department = directory().parents(find("departement-35"));
  auto of_region = directory().parents(find("region-53"));
  auto of_overseas_commune = directory().parents(find("commune-98735"));
  ASSERT_TRUE(of_epci.ok() && of_department.ok() && of_region.ok() && of_overseas_commune.ok());
  EXPECT_THAT(codes_of(*of_epci), ElementsAre("departement-35", "region-53"));
  EXPECT_THAT(codes_of(*of_department), ElementsAre("region-53"));
  EXPECT_TRUE(of_region->empty());
  EXPECT_THAT(codes_of(*of_overseas_commune), ElementsAre("com-987"));
}

TEST_P(DirectoryTest, MembersOfAnEpciAreItsCommunesByName) {
  auto members = directory().members(find(kRennesMetropole));
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 43u);
  EXPECT_EQ(members->front().name, "Acigné");
  for (std::size_t i = 0; i < members->size(); ++i) {
    EXPECT_EQ((*members)[i].epci_code, kRennesMetropole);
    if (i > 0) {
      EXPECT_LT(text::place_key((*members)[i - 1].name), text::place_key((*members)[i].name));
    }
  }
}

TEST_P(DirectoryTest, MembersOfACommuneAreItsArrondissements) {
  auto members = directory().members(find(kMarseille));
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 16u);
  EXPECT_EQ(members->front().code, "arrondissement-municipal-13201");
  EXPECT_EQ(members->back().code, "arrondissement-municipal-13216");
  auto of_region = directory().members(find("region-53"));
  ASSERT_TRUE(of_region.ok());
  EXPECT_TRUE(of_region->empty());
}

TEST_P(DirectoryTest, CountsOrganisationsByKind) {
  auto counts = directory().count_by_kind();
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(counts->at("region"), 18);
  EXPECT_EQ(counts->at("commune"), 34969);
}

TEST_P(DirectoryTest, ManyThreadsMayAskAtOnce) {
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (auto found = directory().find(kRennes); found.ok() && found->name == "Rennes") ++answered;
        if (auto found = directory().search("renn", 3); found.ok() && !found->empty() && found->front().code == kRennes) {
          ++answered;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered.load(), 200);
}

}  // namespace
}  // namespace vigie::store
