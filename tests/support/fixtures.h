// Shared test data: the real taxonomies, a few organisations, a fiche with every field filled.
#pragma once

#include <gtest/gtest.h>

#include "domain/taxonomy.h"
#include "domain/use_case.h"
#include "store/sqlite/database.h"
#include "tests/support/temp_dir.h"

namespace vigie::test {

inline const domain::Taxonomies& taxonomies() {
  static const domain::Taxonomies loaded = [] {
    auto result = domain::Taxonomies::load(source_dir() / "data" / "taxonomies");
    if (!result.ok()) throw std::runtime_error(result.error().message);
    return std::move(result).value();
  }();
  return loaded;
}

// Three organisations: a commune (Rennes), an EPCI and a région (SQL of both backends).
inline constexpr const char* kOrganisationsSql =
    "INSERT INTO organisations (code, siren, kind, insee_code, name, search_key, population, department_code, region_code, updated_at)"
    " VALUES ('213502388', '213502388', 'commune', '35238', 'Rennes', 'rennes', 227830, '35', '53', '2026-01-01T00:00:00Z'),"
    " ('243500139', '243500139', 'epci', NULL, 'Rennes Métropole', 'rennes metropole', 472000, '35', '53', '2026-01-01T00:00:00Z'),"
    " ('region-53', NULL, 'region', '53', 'Bretagne', 'bretagne', 3400000, NULL, '53', '2026-01-01T00:00:00Z')";

inline void insert_organisations(store::sqlite::Database& db) { ASSERT_TRUE(db.execute(kOrganisationsSql).ok()); }

inline domain::UseCase minimal_use_case() {
  domain::UseCase u;
  u.title = "Détection des dépôts sauvages";
  u.summary = "Des caméras repèrent les dépôts sauvages.";
  u.owners = {"213502388"};
  u.domains = {"dechets-proprete"};
  u.purposes = {"detection"};
  u.techniques = {"vision"};
  u.target_users = {"agents"};
  u.status = "experimentation";
  u.publication_state = domain::kPublished;
  return u;
}

// A fiche with every field filled with a valid value.
inline domain::UseCase full_use_case() {
  domain::UseCase u = minimal_use_case();
  u.description = "## Contexte\n\nLa ville **teste** des caméras.\n\n- point 1\n- point 2";
  u.owners = {"213502388", "243500139"};
  u.partners = {"Université de Rennes"};
  u.domains = {"dechets-proprete", "environnement"};
  u.purposes = {"detection", "analyse-suivi"};
  u.techniques = {"vision", "apprentissage-predictif"};
  u.target_users = {"agents", "citoyens"};
  u.status = "arrete";
  u.stop_reason = "Coût de maintenance trop élevé.";
  u.start_date = "2022-03";
  u.production_date = "2023-01-15";
  u.end_date = "2024-06-30";
  u.provider = {"prestataire", "Civitek"};
  u.licence = "EUPL-1.2";
  u.source_code_url = "https://git.example/civitek/depots";
  u.hosting = "cloud-souverain";
  u.data = {{"images-video", "geographiques"}, "Caméras nomades", true, false, "realisee"};
  u.cost = {"50k-200k", 86000, {"fonds-propres", "etat"}};
  u.oversight = {"validation-humaine", "Un agent valide chaque alerte."};
  u.risks = "Floutage des visages et des plaques.";
  u.results = {{{"Dépôts détectés par mois", "45"}}, "Baisse de 30 % des dépôts.", "https://ville.example/evaluation"};
  u.lessons_learned = "Associer les agents de terrain dès le début.";
  u.ai_act_category = "minimal";
  u.jobs = {{"proprete-dechets", {"taches-augmentees", "nouvelles-taches"}, "Les agents vérifient les alertes."}};
  u.training = "Deux jours de formation.";
  u.links = {{"Délibération", "https://ville.example/deliberation"}};
  u.contact = {"Direction de la propreté", "proprete@ville.example"};
  return u;
}

}  // namespace vigie::test
