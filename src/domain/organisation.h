// An organisation that can own fiches: for now every authority of the territorial referential
// (région, département, collectivité d'outre-mer, EPCI, EPT, commune, and the delegated or
// associated communes and municipal arrondissements attached to a commune).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigie::domain {

// Organisation kinds (data/taxonomies/types-collectivites.csv).
namespace kind {
inline constexpr const char* kRegion = "region";
inline constexpr const char* kDepartment = "departement";
inline constexpr const char* kOverseasCollectivity = "collectivite-outre-mer";
inline constexpr const char* kEpci = "epci";
inline constexpr const char* kEpt = "ept";
inline constexpr const char* kCommune = "commune";
inline constexpr const char* kDelegatedCommune = "commune-deleguee";
inline constexpr const char* kAssociatedCommune = "commune-associee";
inline constexpr const char* kMunicipalArrondissement = "arrondissement-municipal";
}  // namespace kind

struct Organisation {
  // SIREN when known, else a Vigie code from the INSEE code ("region-53", "departement-2A",
  // "com-987", "commune-98735", "commune-deleguee-01015"). Stable: URLs and fiches use it.
  std::string code;
  std::string siren;       // empty when the referential does not give it
  std::string kind;
  std::string insee_code;
  std::string name;
  std::optional<std::int64_t> population;
  std::string department_code;
  std::string region_code;
  std::string parent_code;  // commune of a delegated/associated commune or arrondissement
  std::string epci_code;    // EPCI of a commune
  std::string epci_kind;    // CC, CA, CU, METRO, MET69
  std::string zone;         // metro, drom, com
  std::vector<std::string> postal_codes;

  bool operator==(const Organisation&) const = default;
};

// Population size bands used to compare authorities ("authorities like mine").
enum class SizeBand { under_3500, from_3500_to_20000, from_20000_to_100000, over_100000, unknown };
SizeBand size_band(std::optional<std::int64_t> population);
const char* size_band_code(SizeBand band);   // "moins-3500", "3500-20000", "20000-100000", "plus-100000", "inconnue"
const char* size_band_label(SizeBand band);  // French label

}  // namespace vigie::domain
