// How Vigie names the organisations of the territorial referential (see the `organisations`
// table in src/store/migrations/sqlite/0001_initial.sql). The referential's reader writes these
// codes and the directory rebuilds them to follow links, so both go through these functions.
#pragma once

#include <string>
#include <string_view>

namespace vigie::domain::codes {

// "region-53"
inline std::string region(std::string_view insee) { return "region-" + std::string(insee); }
// "departement-2A"
inline std::string department(std::string_view insee) { return "departement-" + std::string(insee); }
// "com-987": a collectivité d'outre-mer, listed both as a région and as a département.
inline std::string overseas_collectivity(std::string_view insee) { return "com-" + std::string(insee); }
// The SIREN when known, else "commune-98735" (the communes of the COM have none).
inline std::string commune(std::string_view siren, std::string_view insee) {
  return siren.empty() ? "commune-" + std::string(insee) : std::string(siren);
}
// "commune-deleguee-01015", "commune-associee-01120", "arrondissement-municipal-13201": the
// kind is part of the code because a commune déléguée may share its INSEE code with its
// commune nouvelle.
inline std::string attached_to_commune(std::string_view kind, std::string_view insee) {
  return std::string(kind) + "-" + std::string(insee);
}

}  // namespace vigie::domain::codes
