#include "domain/search_rank.h"

#include <gtest/gtest.h>

#include <optional>

namespace vigie::domain {
namespace {

std::int64_t rank(const char* kind, std::optional<std::int64_t> population) {
  return search_rank(kind, population).rank;
}
std::int64_t exact_rank(const char* kind, std::optional<std::int64_t> population) {
  return search_rank(kind, population).exact_rank;
}

TEST(SearchRankTest, CommunesComeBeforeLargerEpciDepartmentsAndRegions) {
  EXPECT_LT(rank("commune", 230), rank("epci", 400000));
  EXPECT_LT(rank("arrondissement-municipal", 30000), rank("epci", 400000));
  EXPECT_LT(rank("epci", 1000), rank("departement", 1000000));
  EXPECT_LT(rank("ept", 1000), rank("collectivite-outre-mer", 1000000));
  EXPECT_LT(rank("departement", 1000), rank("region", 5000000));
  EXPECT_LT(rank("region", 1000), rank("commune-deleguee", std::nullopt));
  EXPECT_LT(rank("region", 1000), rank("something-new", 1000000));
}

TEST(SearchRankTest, LargerPopulationFirstAndUnknownLastWithinAGroup) {
  EXPECT_LT(rank("commune", 173136), rank("commune", 230));
  EXPECT_LT(rank("commune", 0), rank("commune", std::nullopt));
  EXPECT_LT(rank("epci", 473973), rank("ept", 400000));
}

TEST(SearchRankTest, KindBreaksTiesOfPopulation) {
  EXPECT_LT(rank("commune", 2103778), rank("arrondissement-municipal", 2103778));
  EXPECT_LT(exact_rank("commune", 2103778), exact_rank("departement", 2103778));
}

TEST(SearchRankTest, ExactRanksIgnoreGroupsAndComeBeforeEveryRank) {
  EXPECT_LT(exact_rank("region", 3400000), exact_rank("commune", 319));
  EXPECT_LT(exact_rank("commune-deleguee", std::nullopt), rank("commune", 12000000));
  EXPECT_GE(rank("commune", 12000000), 0);
}

TEST(SearchRankTest, OutOfRangePopulationsStayOrdered) {
  EXPECT_LT(rank("commune", std::int64_t{1} << 50), rank("commune", 1));
  EXPECT_LT(rank("commune", -5), rank("commune", std::nullopt));
  EXPECT_LT(rank("commune-associee", std::int64_t{1} << 50), rank("commune-associee", std::nullopt));
}

}  // namespace
}  // namespace vigie::domain
