// The HTML pages of the site: home, library, fiche, authority, territory search, map and the
// informational pages. Handlers read the store, build a view model (JSON) and render a
// template inside the layout. Errors go through render_error(), the one HTML error page.
// One file per page (library_page.cpp, fiche_page.cpp, …); what they share is in site_support.h.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "assessment/assessment_data.h"
#include "domain/taxonomy.h"
#include "pages/templates.h"
#include "observatory/france_map.h"
#include "search/search_index.h"
#include "store/organisation_directory.h"
#include "store/assessment_store.h"
#include "store/use_case_store.h"
#include "web/csrf.h"
#include "web/router.h"

namespace vigie::pages {

class RequestDirectory;  // site_support.h

struct SiteOptions {
  bool demo_mode = false;       // show the demonstration banner on every page
  std::string base_url;         // for canonical links
  std::string contact_email = "observatoire@vigie.example";
  std::string referential_version;
  // The assessment toolkit's questionnaires; null: the /outils pages answer 503.
  const assessment::AssessmentData* assessments = nullptr;
  // Where completed assessments are saved, and the CSRF check of the forms that save them;
  // null: results are not offered for saving.
  store::AssessmentStore* assessment_store = nullptr;
  const web::Csrf* csrf = nullptr;
  // Told of every fiche page served (200 or 304), cached or not: « les plus consultées »
  // (app/view_counter.h). Empty: not counted.
  std::function<void(domain::UseCaseId)> fiche_viewed;
};

class Site {
 public:
  // Every reference must outlive the Site.
  // `index` may be null: the library then matches words with SQL. `map` may be null: /carte
  // then answers 503.
  Site(std::shared_ptr<const Templates> templates, const domain::Taxonomies& taxonomies, store::UseCaseStore& use_cases,
       store::OrganisationDirectory& organisations, const search::SearchIndex* index, const observatory::FranceMap* map,
       SiteOptions options);

  // Adds the routes to `router`; read-only GET handlers are wrapped by `cached`, the handlers of
  // anonymous writes (saving an assessment) by `anonymous_write` (web/rate_limiter.h).
  void register_routes(web::Router& router, const web::CacheDecorator& cached = web::canonical_only_decorator(),
                       const web::HandlerDecorator& anonymous_write = web::identity_decorator());

  // The HTML error page for `status`, with a French message.
  web::Response render_error(const web::Request& request, unsigned status, const std::string& message) const;

 private:
  web::Response home(const web::Request& request);
  // The library (library_page.cpp), in its parts.
  web::Response library(const web::Request& request);
  struct LibraryResults {
    store::UseCasePage page;        // the fiches of the page and the total
    search::SearchResults found;    // stems, facets, suggestion (empty without an index)
    nlohmann::json notice = nullptr;  // how the results answer the words typed
  };
  Result<LibraryResults> library_results(search::SearchRequest search_request, const web::QueryParams& query, const std::string& sort,
                                         std::int64_t page_number) const;
  using FacetCounts = std::map<std::string, std::map<std::string, std::int64_t>>;
  std::vector<std::pair<std::string, std::string>> facet_values(const search::LibraryFilter& filter, const FacetCounts& counts,
                                                                RequestDirectory& directory) const;
  nlohmann::json facets_view(const web::QueryParams& query, const FacetCounts& counts, RequestDirectory& directory, nlohmann::json& active) const;
  nlohmann::json search_notice_view(const search::SearchResults& found, const web::QueryParams& query) const;
  struct PlaceName {
    std::string name;      // "" when no région or département has the code
    std::string sort_key;  // the name folded (accents, case), to sort the facet's options
  };
  PlaceName place_name(const std::string& code, RequestDirectory& directory) const;
  nlohmann::json ways_on_view(RequestDirectory& directory) const;
  web::Response fiche(const web::Request& request);
  web::Response fiche_contact(const web::Request& request);
  web::Response organisation(const web::Request& request);
  web::Response territories(const web::Request& request);
  web::Response france_map(const web::Request& request);
  web::Response tools_index(const web::Request& request);            // tools_page.cpp
  web::Response classification_tool(const web::Request& request);
  // The parameters the questionnaire reads: its questions' ids and the page's own.
  web::ReadParams classification_params() const;
  web::Response classification_result(const web::Request& request);
  web::Response impact_tool(const web::Request& request);
  web::Response save_assessment(const web::Request& request);   // POST /outils/evaluations
  web::Response saved_assessment(const web::Request& request);  // GET /outils/evaluations/{lien}
  web::Response fria_tool(const web::Request& request);         // GET /outils/analyse-droits-fondamentaux
  web::Response save_fria(const web::Request& request);         // POST, the same address
  // The FRIA form with `values`, the problems in `errors` (field id -> message), with `status`.
  web::Response render_fria_form(const web::Request& request, const std::map<std::string, std::string>& values,
                                 const std::map<std::string, std::string>& errors, const std::set<std::string>& prefilled,
                                 const std::string& fiche_title, const std::string& link, std::int64_t version, unsigned status);
  // The view of the form saving the current answers (empty when saving is off).
  nlohmann::json save_form(const web::Request& request, web::Response& response, std::string_view tool,
                           const std::string& answers_query) const;
  web::Response static_page(const std::string& template_name, const std::string& title, const std::string& nav) const;

  struct Page;  // title, template, view, breadcrumbs…
  // Taken by value: a page moved in is rendered without copying its view.
  web::Response render(Page page, unsigned status = 200) const;
  web::Response error_response(const Error& error) const;

  std::shared_ptr<const Templates> templates_;
  const domain::Taxonomies& taxonomies_;
  store::UseCaseStore& use_cases_;
  store::OrganisationDirectory& organisations_;
  const search::SearchIndex* index_;
  const observatory::FranceMap* map_;
  SiteOptions options_;
  // Names of régions and départements by code ("" for unknown codes), read once: the library's
  // facets show them on every page. Régions and départements are not renamed while serving.
  mutable std::mutex place_names_mutex_;  // guards place_names_
  mutable std::map<std::string, PlaceName> place_names_;
};

}  // namespace vigie::pages
