// View models of a fiche for the templates: labels instead of codes, French dates, links.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/organisation.h"
#include "domain/taxonomy.h"
#include "domain/use_case.h"

namespace vigie::pages {

using OrganisationLookup = std::function<std::optional<domain::Organisation>(const std::string& code)>;

// "/fiches/12-detection-des-depots-sauvages"
std::string use_case_path(const domain::UseCase& use_case);
// "/collectivites/213502388"
std::string organisation_path(const std::string& code);

// The summary card (partials/fiche-card.mustache).
nlohmann::json card_view(const domain::UseCase& use_case, const domain::Taxonomies& taxonomies, const OrganisationLookup& lookup);

// Every section of the fiche page (fiche.mustache), without the related fiches.
nlohmann::json fiche_view(const domain::UseCase& use_case, const domain::Taxonomies& taxonomies, const OrganisationLookup& lookup,
                          const std::function<std::optional<domain::UseCase>(domain::UseCaseId)>& related_lookup);

}  // namespace vigie::pages
