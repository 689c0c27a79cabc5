// The map (/carte): the library's filters, counted by département or, with niveau=regions, by
// région; and the same map as a panel of the library (library_map()).
#include <map>

#include "core/text.h"
#include "pages/site_support.h"

namespace vigie::pages {

using nlohmann::json;
using web::Request;
using web::Response;

namespace {

struct MapLevel {
  const char* param;  // the library's filter and facet of the same name
  const char* title;
  const char* description;
};

constexpr MapLevel kDepartments{
    "departement", "Nombre de fiches par département",
    "Carte des départements colorés selon le nombre de fiches publiées par des collectivités du département ; "
    "les départements d’outre-mer figurent dans les encadrés. Les mêmes chiffres sont dans le tableau des chiffres de la carte."};
constexpr MapLevel kRegions{
    "region", "Nombre de fiches par région",
    "Carte des régions colorées selon le nombre de fiches publiées par des collectivités de la région ; "
    "les régions d’outre-mer figurent dans les encadrés. Les mêmes chiffres sont dans le tableau des chiffres de la carte."};

}  // namespace

LibraryMap library_map(const observatory::FranceMap& map, const web::QueryParams& query,
                       const std::map<std::string, std::int64_t>& counts, const LibraryMapOptions& options) {
  const MapLevel& level = options.regions ? kRegions : kDepartments;
  // A click on an area opens the library with the same filters and that area.
  // The link is the same for every area but the area's code: built once (a map has 101 areas).
  const std::string base = link_keeping(query, "/bibliotheque", [&](const std::string& key, const std::string&) {
    return key == level.param || key == "page" || key == "niveau";
  });
  const std::string area_link = base + (base.find('?') == std::string::npos ? "?" : "&") + level.param + "=";
  observatory::MapOptions map_options;
  map_options.link_for = [&](const std::string& code) { return area_link + web::url_encode(code); };
  map_options.title = level.title;
  map_options.description = level.description;
  map_options.id_prefix = options.id_prefix;
  map_options.compact = options.compact;
  LibraryMap result;
  result.svg = options.regions ? map.render_regions(counts, map_options) : map.render_departments(counts, map_options);
  result.rows = json::array();
  if (!options.rows) return result;
  for (const auto& row : options.regions ? map.region_rows(counts) : map.department_rows(counts)) {
    result.rows.push_back({{"code", row.code}, {"name", row.name}, {"count", text::group_digits(row.count)},
                           {"url", map_options.link_for(row.code)}});
  }
  return result;
}

Response Site::france_map(const Request& request) {
  if (!map_ || !index_ || index_->sequence() < 0) return render_error(request, 503, "La carte est momentanément indisponible.");
  const bool regions = request.query.get("niveau") == "regions";
  const MapLevel& level = regions ? kRegions : kDepartments;
  // The same filters as the library, but for the area counted: the map shows them all.
  search::SearchRequest search_request = library_search_request(request.query);
  search_request.index_filters.erase(level.param);
  search_request.limit = 0;
  auto found = index_->search(search_request);
  if (!found.ok()) return error_response(found.error());
  LibraryMapOptions options;
  options.regions = regions;
  const LibraryMap drawn = library_map(*map_, request.query, found->facets[level.param], options);

  auto level_url = [&](const char* niveau) {
    web::QueryParams extra;
    if (niveau) extra.add("niveau", niveau);
    return link_keeping(request.query, "/carte", [](const std::string& key, const std::string&) { return key == "niveau" || key == "page"; }, extra);
  };
  Page page;
  page.title = regions ? "Carte des fiches par région" : "Carte des fiches par département";
  page.template_name = "carte";
  page.nav = "map";
  page.canonical_path = regions ? "/carte?niveau=regions" : "/carte";
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Carte"}}});
  page.view = {
      {"heading", page.title},
      {"area_label", regions ? "Région" : "Département"},
      {"area_article", regions ? "la région" : "le département"},
      {"regions", regions},
      {"departments_url", level_url(nullptr)},
      {"regions_url", level_url("regions")},
      {"map_svg", drawn.svg},
      {"attribution", map_->departments_attribution()},
      {"rows", drawn.rows},
      {"total", text::group_digits(found->total)},
      {"library_url", link_keeping(request.query, "/bibliotheque", [](const std::string& key, const std::string&) {
                         return key == "page" || key == "niveau";
                       })},
      {"query", search_request.text},
  };
  return render(std::move(page));
}

}  // namespace vigie::pages
