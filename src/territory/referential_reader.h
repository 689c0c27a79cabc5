// Reads the npm package @etalab/decoupage-administratif (INSEE's Code officiel géographique
// with SIREN codes, postal codes and populations) into Vigie organisations. Pure: files in,
// values out; writing them is referential_loader.h's job.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/organisation.h"

namespace vigie::territory {

struct Referential {
  std::string version;  // "version" of the package's package.json, e.g. "6.0.0"
  // Every organisation once, in an order where each one comes after the organisations its
  // parent_code and epci_code refer to: régions, départements, collectivités d'outre-mer, EPCI,
  // EPT, communes, then the communes déléguées/associées and municipal arrondissements.
  std::vector<domain::Organisation> organisations;
};

// Reads `package_dir`/package.json and `package_dir`/data/{regions,departements,communes,
// epci,ept}.json.
//
// What becomes what:
// - régions and départements of zone metro/drom: kinds "region" and "departement", population
//   = sum of the populations of their communes;
// - the entries of zone "com", listed in both files under the same code: one
//   "collectivite-outre-mer" each (department_code = region_code = its own code);
// - communes-actuelles: "commune", with their EPCI (the one whose `membres` lists them);
// - communes déléguées/associées (parent = `chefLieu`) and municipal arrondissements
//   (parent = `commune`): kinds of the same name, parent_code = the parent's organisation code;
// - EPCI and EPT: population = `populationMunicipale` (INSEE's population municipale, the one
//   communes.json gives for communes, so the figures compare and add up without double
//   counting); département and région = those of the département holding most of the
//   members' population (the seat's, in practice), ties to the most members then lowest code.
// An EPT's member communes are not recorded: Organisation has no field for them.
//
// Fails with `unavailable` when a file is missing or unreadable and `invalid` when one is not
// the expected JSON (syntax, a missing or mistyped field, an unknown commune type, a code that
// is not a short alphanumeric string, two organisations with one code); the French message
// names the file.
Result<Referential> read_referential(const std::filesystem::path& package_dir);

}  // namespace vigie::territory
