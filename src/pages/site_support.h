// What the page handlers of Site share (internal to src/pages): the Page a handler fills,
// the per-request organisation lookup, the library's filter parameters and links that keep
// the current query string. Each page lives in its own file (library_page.cpp, fiche_page.cpp,
// …) and renders through Site::render().
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "domain/organisation.h"
#include "pages/site.h"
#include "pages/use_case_view.h"
#include "search/search_index.h"
#include "store/sqlite/connection_pool.h"
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

// Looks organisations up on one borrowed connection for the duration of a request.
class RequestDirectory {
 public:
  explicit RequestDirectory(store::sqlite::ConnectionPool& pool);
  std::optional<domain::Organisation> find(const std::string& code);
  OrganisationLookup lookup() {
    return [this](const std::string& code) { return find(code); };
  }
  // Null when no connection could be borrowed.
  store::sqlite::Database* database() { return lease_ ? &**lease_ : nullptr; }

 private:
  std::optional<store::sqlite::ConnectionPool::Lease> lease_;
};

// The library's filters, read from its query parameters (French, stable, shareable); the map
// and the library read the same ones.
search::SearchRequest library_search_request(const web::QueryParams& query);

// "42" -> 42; nullopt for anything but a positive integer.
std::optional<std::int64_t> parse_positive(std::string_view text);

// `path` with the parameters of `query` that `drop` does not reject (empty values always
// dropped), then `extra` appended: the links of the library keep the current search.
using ParamPredicate = std::function<bool(const std::string& key, const std::string& value)>;
std::string link_keeping(const web::QueryParams& query, const std::string& path, const ParamPredicate& drop,
                         const web::QueryParams& extra = {});

// "1 fiche", "12 fiches", "1 234 fiches"; `none` when zero.
std::string fiche_count_label(std::int64_t count, const std::string& none = "Aucune fiche");

}  // namespace vigie::pages
