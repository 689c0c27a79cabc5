#include "pages/site.h"

#include <fmt/format.h>

#include "core/text.h"
#include "pages/format.h"
#include "pages/site_support.h"
#include "search/library_filters.h"
#include "web/problem.h"
#include "web/rate_limiter.h"

namespace vigie::pages {

using nlohmann::json;
using web::Request;
using web::Response;
namespace tx = domain::taxonomy;

Site::Site(std::shared_ptr<const Templates> templates, const domain::Taxonomies& taxonomies, store::UseCaseStore& use_cases,
           store::OrganisationDirectory& organisations, const search::SearchIndex* index, const observatory::FranceMap* map,
           SiteOptions options)
    : templates_(std::move(templates)),
      taxonomies_(taxonomies),
      use_cases_(use_cases),
      organisations_(organisations),
      index_(index),
      map_(map),
      options_(std::move(options)) {}

namespace {

// The parameters of the library's search (library_search_request, the "like mine" panel,
// sorting and paging), and `extra`.
web::ReadParams library_params(std::initializer_list<std::string_view> extra) {
  std::vector<std::string> names = {"q", "tri", "page", "collectivite", "corriger", "comme", "choix"};
  for (const auto& filter : search::kLibraryFilters) names.emplace_back(filter.param);
  names.insert(names.end(), extra.begin(), extra.end());
  return web::ReadParams(std::move(names));
}

}  // namespace

void Site::register_routes(web::Router& router, const web::CacheDecorator& cached, const web::HandlerDecorator& anonymous_write) {
  using web::Verb;
  const web::ReadParams none{};
  router.add(Verb::get, "/", "home", cached(none, [this](const Request& r) { return home(r); }));
  router.add(Verb::get, "/bibliotheque", "library", cached(library_params({}), [this](const Request& r) { return library(r); }));
  // Every fiche page served is counted, from the cache too: « les fiches les plus consultées ».
  router.add(Verb::get, "/fiches/{id}", "fiche", [this, handler = cached(none, [this](const Request& r) { return fiche(r); })](const Request& r) {
    Response response = handler(r);
    if (options_.fiche_viewed && (response.status == 200 || response.status == 304)) {
      if (const auto id = id_from_slug(r.param("id"))) options_.fiche_viewed(*id);
    }
    return response;
  });
  router.add(Verb::get, "/fiches/{id}/contact", "fiche_contact", cached(none, [this](const Request& r) { return fiche_contact(r); }));
  router.add(Verb::get, "/collectivites/{code}", "organisation", cached(none, [this](const Request& r) { return organisation(r); }));
  router.add(Verb::get, "/territoires", "territories", cached({"q"}, [this](const Request& r) { return territories(r); }));
  router.add(Verb::get, "/carte", "map", cached(library_params({"niveau"}), [this](const Request& r) { return france_map(r); }));
  router.add(Verb::get, "/outils", "tools", cached(none, [this](const Request& r) { return tools_index(r); }));
  router.add(Verb::get, "/outils/classification-ai-act", "classification", cached(classification_params(), [this](const Request& r) { return classification_tool(r); }));
  // Results carry a per-visitor CSRF token in their "save" form: never from the page cache.
  router.add(Verb::get, "/outils/classification-ai-act/resultat", "classification_result",
             [this](const Request& r) { return classification_result(r); });
  router.add(Verb::get, "/outils/evaluation-impact", "impact_assessment", [this](const Request& r) { return impact_tool(r); });
  router.add(Verb::post, "/outils/evaluations", "assessment_save", anonymous_write([this](const Request& r) { return save_assessment(r); }));
  router.add(Verb::get, "/outils/analyse-droits-fondamentaux", "fria", [this](const Request& r) { return fria_tool(r); });
  router.add(Verb::post, "/outils/analyse-droits-fondamentaux", "fria_save", anonymous_write([this](const Request& r) { return save_fria(r); }));
  router.add(Verb::get, "/outils/evaluations/{lien}", "assessment_saved", [this](const Request& r) { return saved_assessment(r); });
  router.add(Verb::get, "/a-propos", "about", cached(none, [this](const Request&) { return static_page("page-a-propos", "À propos", "about"); }));
  router.add(Verb::get, "/mentions-legales", "legal", cached(none, [this](const Request&) { return static_page("page-mentions-legales", "Mentions légales", ""); }));
  router.add(Verb::get, "/accessibilite", "accessibility", cached(none, [this](const Request&) { return static_page("page-accessibilite", "Déclaration d’accessibilité", ""); }));
  router.add(Verb::get, "/contact", "contact", cached(none, [this](const Request&) { return static_page("page-contact", "Contact", ""); }));
  router.add(Verb::get, "/credits", "credits", cached(none, [this](const Request&) { return static_page("page-credits", "Crédits et licences", ""); }));
  router.add(Verb::get, "/robots.txt", "robots", [](const Request&) {
    return Response::text("User-agent: *\nDisallow: /fiches/*/contact\nDisallow: /api/\n");
  });
}

Response Site::render(Page page, unsigned status) const {
  json& view = page.view;
  view["demo"] = options_.demo_mode;
  // The layout's rendering spaces the punctuation of the whole page, content included.
  std::string content = templates_->render(page.template_name, view, Spacing::as_written);
  json layout{
      {"page_title", page.title},
      {"meta_description", page.description.empty() ? std::string("Vigie, l’observatoire de l’intelligence artificielle dans les collectivités territoriales.") : page.description},
      {"content", std::move(content)},
      {"demo", options_.demo_mode},
      {"nav", {{page.nav.empty() ? "none" : page.nav, true}}},
      {"breadcrumbs", page.breadcrumbs},
      {"has_breadcrumbs", !page.breadcrumbs.empty()},
      {"canonical", page.canonical_path.empty() ? std::string() : options_.base_url + page.canonical_path},
      {"noindex", page.noindex},
  };
  return Response::html(templates_->render("layout", layout), status);
}

Response Site::render_error(const Request&, unsigned status, const std::string& message) const {
  Page page;
  page.title = web::title_of(status);
  page.template_name = "error";
  page.view = {{"title", page.title}, {"message", message}};
  page.noindex = true;
  return render(std::move(page), status);
}

Response Site::error_response(const Error& error) const {
  Response response = render_error(Request{}, web::status_of(error.kind), error.message);
  // A quota used up (store/assessment_store.h): space comes back as older versions are pruned.
  if (error.kind == ErrorKind::exhausted) web::set_retry_after(response, std::chrono::hours(1));
  return response;
}

Response Site::static_page(const std::string& template_name, const std::string& title, const std::string& nav) const {
  Page page;
  page.title = title;
  page.template_name = template_name;
  page.nav = nav;
  page.view = {{"contact_email", options_.contact_email}, {"referential_version", options_.referential_version}};
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", title}}});
  return render(std::move(page));
}

Response Site::home(const Request&) {
  auto figures = use_cases_.key_figures();
  if (!figures.ok()) return error_response(figures.error());
  store::UseCaseListQuery query;
  query.limit = 6;
  auto latest = use_cases_.list(query);
  if (!latest.ok()) return error_response(latest.error());
  RequestDirectory directory(organisations_);
  json cards = json::array();
  for (const auto& u : latest->items) cards.push_back(card_view(u, taxonomies_, directory.lookup()));
  Page page;
  page.title = "Accueil";
  page.template_name = "home";
  page.nav = "home";
  page.canonical_path = "/";
  page.view = {
      {"figures",
       {{"published", text::group_digits(figures->published)},
        {"organisations", text::group_digits(figures->organisations)},
        {"domains", text::group_digits(figures->domains)},
        {"production_share", french_percent(figures->in_production, figures->published)}}},
      {"latest", cards},
  };
  return render(std::move(page));
}

Response Site::territories(const Request& request) {
  const std::string query = std::string(text::trim(request.query.get("q")));
  json results = json::array();
  bool closest = false;
  if (!query.empty()) {
    store::OrganisationDirectory& directory = organisations_;
    auto found = directory.search(query, 50);
    // A name with a typo: the closest names, said as such.
    if (found.ok() && found->empty()) {
      found = directory.closest_names(query, 10);
      closest = found.ok() && !found->empty();
    }
    if (!found.ok()) return error_response(found.error());  // a database down is a 503, not "none found"
    const auto& kinds = taxonomies_.get(tx::kOrganisationKinds);
    for (const auto& organisation : *found) {
      results.push_back({{"name", organisation.name}, {"url", organisation_path(organisation.code)},
                         {"kind_label", kinds.label(organisation.kind)}, {"department_code", organisation.department_code},
                         {"population", organisation.population ? text::group_digits(*organisation.population) : std::string("—")}});
    }
  }
  Page page;
  page.title = query.empty() ? std::string("Territoires") : "Territoires : " + query;
  page.template_name = "territories";
  page.nav = "territories";
  page.canonical_path = "/territoires";
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Territoires"}}});
  page.view = {
      {"query", query},
      {"searched", !query.empty()},
      {"results", results},
      {"has_results", !results.empty()},
      {"closest", closest},
      {"result_label", closest ? fmt::format("Aucune collectivité ne s’appelle « {} » ; noms les plus proches", query)
                       : results.empty() ? std::string("Aucune collectivité trouvée")
                       : results.size() == 1 ? std::string("1 collectivité trouvée")
                       : fmt::format("{} collectivités trouvées", results.size())},
  };
  return render(std::move(page));
}

}  // namespace vigie::pages
