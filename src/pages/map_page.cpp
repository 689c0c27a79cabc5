// The map of départements (/carte): the library's filters, counted by département.
#include <map>

#include "core/text.h"
#include "pages/site_support.h"

namespace vigie::pages {

using domain::UseCase;
using nlohmann::json;
using web::Request;
using web::Response;
namespace tx = domain::taxonomy;

Response Site::france_map(const Request& request) {
  if (!map_ || !index_ || index_->sequence() < 0) return render_error(request, 503, "La carte est momentanément indisponible.");
  // The same filters as the library, but for the département: the map shows them all.
  search::SearchRequest search_request = library_search_request(request.query);
  search_request.index_filters.erase("departement");
  search_request.limit = 0;
  auto found = index_->search(search_request);
  if (!found.ok()) return error_response(found.error());
  const std::map<std::string, std::int64_t> counts = found->facets["departement"];

  // A click on a département opens the library with the same filters and that département.
  const ParamPredicate not_kept = [](const std::string& key, const std::string&) { return key == "departement" || key == "page"; };
  observatory::MapOptions options;
  options.link_for = [&](const std::string& code) {
    web::QueryParams chosen;
    chosen.add("departement", code);
    return link_keeping(request.query, "/bibliotheque", not_kept, chosen);
  };
  options.title = "Nombre de fiches par département";
  options.description = "Carte des départements colorés selon le nombre de fiches publiées par des collectivités du département ; "
                        "les départements d’outre-mer figurent dans les encadrés. Les mêmes chiffres sont dans le tableau qui suit la carte.";
  json rows = json::array();
  for (const auto& row : map_->department_rows(counts)) {
    rows.push_back({{"code", row.code}, {"name", row.name}, {"count", text::group_digits(row.count)}, {"url", options.link_for(row.code)}});
  }
  Page page;
  page.title = "Carte des fiches";
  page.template_name = "carte";
  page.nav = "map";
  page.canonical_path = "/carte";
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Carte"}}});
  page.view = {
      {"map_svg", map_->render_departments(counts, options)},
      {"attribution", map_->departments_attribution()},
      {"rows", rows},
      {"total", text::group_digits(found->total)},
      {"library_url", link_keeping(request.query, "/bibliotheque", not_kept)},
      {"query", search_request.text},
  };
  return render(page);
}


}  // namespace vigie::pages
