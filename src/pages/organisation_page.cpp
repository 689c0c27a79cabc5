// An authority (/collectivites/{code}): its place in the territory, its fiches, authorities like it.
#include <fmt/format.h>

#include "core/text.h"
#include "pages/format.h"
#include "pages/site_support.h"

namespace vigie::pages {

using domain::UseCase;
using nlohmann::json;
using web::Request;
using web::Response;
namespace tx = domain::taxonomy;

Response Site::organisation(const Request& request) {
  RequestDirectory requests(organisations_);
  store::OrganisationDirectory& directory = organisations_;
  auto found = directory.find(std::string(request.param("code")));
  if (!found.ok()) {
    if (found.error().kind != ErrorKind::not_found) return error_response(found.error());
    return render_error(request, 404, "Aucune collectivité ne porte ce code dans le référentiel : vérifiez le code SIREN ou INSEE.");
  }
  const domain::Organisation& organisation = *found;
  const auto& kinds = taxonomies_.get(tx::kOrganisationKinds);
  auto item = [&](const domain::Organisation& other) { return organisation_item(other, taxonomies_); };
  json parents = json::array();
  if (auto found_parents = directory.parents(organisation); found_parents.ok()) {
    for (const auto& parent : *found_parents) parents.push_back(item(parent));
  }
  json members = json::array();
  if (auto found_members = directory.members(organisation); found_members.ok()) {
    for (const auto& member : *found_members) members.push_back(item(member));
  }
  const json peers = peers_view(requests, organisation, taxonomies_);
  store::UseCaseListQuery query;
  query.filter.owner = organisation.code;
  query.limit = 20;
  auto fiches = use_cases_.list(query);
  if (!fiches.ok()) return error_response(fiches.error());
  json cards = json::array();
  for (const auto& u : fiches->items) cards.push_back(card_view(u, taxonomies_, requests.lookup()));

  std::string postal_codes;
  for (const auto& code : organisation.postal_codes) postal_codes += (postal_codes.empty() ? "" : ", ") + code;
  Page page;
  page.title = organisation.name;
  page.template_name = "organisation";
  page.nav = "territories";
  page.canonical_path = organisation_path(organisation.code);
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Territoires"}, {"url", "/territoires"}}, {{"label", organisation.name}}});
  page.view = {
      {"code", organisation.code},
      {"name", organisation.name},
      {"kind_label", kinds.label(organisation.kind)},
      {"population", french_population(organisation.population)},
      {"siren", organisation.siren},
      {"insee_code", organisation.insee_code},
      {"postal_codes", postal_codes},
      {"epci_kind", organisation.epci_kind.empty() ? std::string()
                                                   : taxonomies_.get(tx::kEpciCategories).label(text::fold(organisation.epci_kind))},
      {"parents", parents},
      {"has_parents", !parents.empty()},
      {"members", members},
      {"has_members", !members.empty()},
      {"member_count", members.size()},
      {"members_title", organisation.kind == domain::kind::kEpci || organisation.kind == domain::kind::kEpt ? "Communes membres" : "Communes déléguées, associées et arrondissements"},
      {"fiches", cards},
      {"peers", peers},
      {"has_peers", !peers.empty()},
      {"like_mine_url", link_keeping({}, "/bibliotheque", [](const std::string&, const std::string&) { return false; }, like_mine_params(organisation))},
      {"size_band", domain::size_band_label(domain::size_band(organisation.population))},
      {"kind_plural", kinds.find(organisation.kind) ? kinds.find(organisation.kind)->column("libelle-pluriel") : std::string()},
      {"fiche_total", fiches->total},
      {"has_more_fiches", fiches->total > static_cast<std::int64_t>(cards.size())},
  };
  return render(std::move(page));
}

}  // namespace vigie::pages
