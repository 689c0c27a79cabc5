#include "domain/search_rank.h"

#include <algorithm>

#include "domain/organisation.h"

namespace vigie::domain {

namespace {

struct KindPlace {
  std::int64_t group;  // 0 communes … 4 attached communes
  std::int64_t order;  // tie-break between kinds, 0…7
};

KindPlace place_of(std::string_view organisation_kind) {
  if (organisation_kind == kind::kCommune) return {0, 0};
  if (organisation_kind == kind::kMunicipalArrondissement) return {0, 1};
  if (organisation_kind == kind::kEpci) return {1, 2};
  if (organisation_kind == kind::kEpt) return {1, 3};
  if (organisation_kind == kind::kDepartment) return {2, 4};
  if (organisation_kind == kind::kOverseasCollectivity) return {2, 5};
  if (organisation_kind == kind::kRegion) return {3, 6};
  return {4, 7};
}

// Layout: group * 2^44 + population_order * 8 + kind order, where population_order =
// 2^40 - population (2^40 + 1 when unknown) fits in 41 bits: France's 68 million
// inhabitants are far below 2^40.
constexpr std::int64_t kPopulationCeiling = std::int64_t{1} << 40;
constexpr std::int64_t kGroupUnit = std::int64_t{1} << 44;

}  // namespace

SearchRank search_rank(std::string_view organisation_kind, std::optional<std::int64_t> population) {
  const KindPlace place = place_of(organisation_kind);
  const std::int64_t population_order =
      population ? kPopulationCeiling - std::clamp<std::int64_t>(*population, 0, kPopulationCeiling - 1)
                 : kPopulationCeiling + 1;
  const std::int64_t within_group = population_order * 8 + place.order;
  return {place.group * kGroupUnit + within_group, within_group - kGroupUnit};
}

}  // namespace vigie::domain
