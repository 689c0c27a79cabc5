// What the page handlers of Site share (internal to src/pages): the Page a handler fills,
// the per-request organisation lookup, the library's filter parameters and links that keep
// the current query string. Each page lives in its own file (library_page.cpp, fiche_page.cpp,
// …) and renders through Site::render().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/organisation.h"
#include "domain/taxonomy.h"
#include "assessment/assessment_data.h"
#include "observatory/france_map.h"
#include "pages/site.h"
#include "pages/use_case_view.h"
#include "search/search_index.h"
#include "store/organisation_directory.h"
#include "web/http.h"

namespace vigie::pages {

struct Site::Page {
  std::string title;
  std::string template_name;
  nlohmann::json view = nlohmann::json::object();
  std::string nav;  // "home", "library", "map", "territories", "about"
  nlohmann::json breadcrumbs = nlohmann::json::array();
  std::string description;
  std::string canonical_path;
  bool noindex = false;
};

// The organisations a request shows, each looked up once (the owners of 20 cards are often the
// same few).
class RequestDirectory {
 public:
  explicit RequestDirectory(store::OrganisationDirectory& organisations) : organisations_(organisations) {}
  // Nullopt when no organisation has `code`, or when the store could not say (unavailable()).
  std::optional<domain::Organisation> find(const std::string& code);
  OrganisationLookup lookup() {
    return [this](const std::string& code) { return find(code); };
  }
  // Whether a lookup failed for another reason than an unknown code (a database down).
  bool unavailable() const { return unavailable_; }
  store::OrganisationDirectory& organisations() { return organisations_; }

 private:
  store::OrganisationDirectory& organisations_;
  std::map<std::string, std::optional<domain::Organisation>, std::less<>> found_;
  bool unavailable_ = false;
};

// Authority kinds offered as a library filter (the others are attached to a commune).
inline constexpr std::string_view kFilterableKinds[] = {"region", "departement", "collectivite-outre-mer", "epci", "ept", "commune"};

// The library's filters, read from its query parameters (French, stable, shareable); the map
// and the library read the same ones.
search::SearchRequest library_search_request(const web::QueryParams& query);

// "42" -> 42; nullopt for anything but a positive integer.
std::optional<std::int64_t> parse_positive(std::string_view text);

// The id of a fiche address's last part: "12-detection-des-depots" -> 12.
std::optional<domain::UseCaseId> id_from_slug(std::string_view id_and_slug);

// `path` with the parameters of `query` that `drop` does not reject (empty values always
// dropped), then `extra` appended: the links of the library keep the current search.
using ParamPredicate = std::function<bool(const std::string& key, const std::string& value)>;
std::string link_keeping(const web::QueryParams& query, const std::string& path, const ParamPredicate& drop,
                         const web::QueryParams& extra = {});

// An authority in a list: name, link, kind, population, département.
nlohmann::json organisation_item(const domain::Organisation& organisation, const domain::Taxonomies& taxonomies);

// "Collectivités comme la mienne": the authorities of the same kind and size band as
// `organisation` with published fiches, closest first (store::OrganisationDirectory::peers_with_fiches),
// as rows of the "peers-table" partial. Empty when the database is unavailable.
nlohmann::json peers_view(RequestDirectory& directory, const domain::Organisation& organisation, const domain::Taxonomies& taxonomies);

// The library's parameters that show what authorities like `organisation` do: `comme` (the
// authority, for the panel), and the filters on its kind and size band.
web::QueryParams like_mine_params(const domain::Organisation& organisation);

// The choropleth of `counts` (by INSEE code) for the library's current `query`: each area links
// to the library with the same filters and that area (map_page.cpp).
struct LibraryMapOptions {
  bool regions = false;  // régions rather than départements
  bool compact = false;  // observatory::MapOptions::compact
  std::string id_prefix = "carte-";
  bool rows = true;      // the table's rows too (the library's panel shows the map alone)
};
struct LibraryMap {
  std::string svg;
  nlohmann::json rows;  // code, name, count, url: the same figures as a table
};
LibraryMap library_map(const observatory::FranceMap& map, const web::QueryParams& query,
                       const std::map<std::string, std::int64_t>& counts, const LibraryMapOptions& options);

// The toolkit's views shared by the tool pages and the fiche (tools_page.cpp): a tool's French
// title; the labels of the choices selected for `question`, joined; the results of `summary`
// (outcome labels with their references, or the impact level and who approves) as label/detail
// items.
std::string tool_title(std::string_view tool);
std::string answer_labels(const assessment::Question& question, const std::vector<std::string>& selected);
nlohmann::json assessment_results_view(const assessment::AssessmentData& data, const domain::AssessmentSummary& summary);

// "1 fiche", "12 fiches", "1 234 fiches"; `none` when zero.
std::string fiche_count_label(std::int64_t count, const std::string& none = "Aucune fiche");

}  // namespace vigie::pages
