#include "pages/site.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "core/text.h"
#include "pages/format.h"
#include "pages/use_case_view.h"
#include "search/analysis.h"
#include "territory/directory.h"
#include "web/problem.h"

namespace vigie::pages {

using domain::UseCase;
using nlohmann::json;
using web::Request;
using web::Response;
namespace tx = domain::taxonomy;

struct Site::Page {
  std::string title;
  std::string template_name;
  json view = json::object();
  std::string nav;            // "home", "library", "territories", "about"
  json breadcrumbs = json::array();
  std::string description;
  std::string canonical_path;
  bool noindex = false;
};

namespace {

constexpr std::size_t kPageSize = 20;

// Library query parameters (French, stable, shareable) and the taxonomy behind each.
struct FilterParam {
  const char* param;
  const char* taxonomy;
  const char* label;
};
constexpr FilterParam kFilterParams[] = {
    {"domaine", tx::kDomains, "Domaine"},
    {"technique", tx::kTechniques, "Technique d’IA"},
    {"finalite", tx::kPurposes, "Finalité"},
    {"statut", tx::kStatuses, "Avancement"},
    {"type", tx::kOrganisationKinds, "Type de collectivité"},
};
// Authority kinds offered as a filter (the others are attached to a commune).
// Filters only the search index knows (search::SearchRequest::index_filters).
constexpr const char* kIndexFilterParams[] = {"taille", "region", "departement", "categorie-ai-act", "fournisseur", "libre"};

constexpr const char* kFilterableKinds[] = {"region", "departement", "collectivite-outre-mer", "epci", "ept", "commune"};

// The library's filters, read from its query parameters; the map reads the same ones.
search::SearchRequest library_search_request(const web::QueryParams& query) {
  search::SearchRequest request;
  request.text = std::string(text::trim(query.get("q")));
  request.filter.domains = query.all("domaine");
  request.filter.techniques = query.all("technique");
  request.filter.purposes = query.all("finalite");
  request.filter.statuses = query.all("statut");
  request.filter.organisation_kinds = query.all("type");
  request.filter.owner = query.get("collectivite");
  for (const char* param : kIndexFilterParams) {
    if (auto values = query.all(param); !values.empty()) request.index_filters[param] = std::move(values);
  }
  return request;
}

std::optional<std::int64_t> parse_positive(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

Site::Site(std::shared_ptr<const Templates> templates, const domain::Taxonomies& taxonomies, store::UseCaseStore& use_cases,
           store::sqlite::ConnectionPool& pool, const search::SearchIndex* index, const observatory::FranceMap* map,
           SiteOptions options)
    : templates_(std::move(templates)),
      taxonomies_(taxonomies),
      use_cases_(use_cases),
      pool_(pool),
      index_(index),
      map_(map),
      options_(std::move(options)) {}

void Site::register_routes(web::Router& router, const web::HandlerDecorator& cached) {
  using web::Verb;
  router.add(Verb::get, "/", "home", cached([this](const Request& r) { return home(r); }));
  router.add(Verb::get, "/bibliotheque", "library", cached([this](const Request& r) { return library(r); }));
  router.add(Verb::get, "/fiches/{id}", "fiche", cached([this](const Request& r) { return fiche(r); }));
  router.add(Verb::get, "/fiches/{id}/contact", "fiche_contact", cached([this](const Request& r) { return fiche_contact(r); }));
  router.add(Verb::get, "/collectivites/{code}", "organisation", cached([this](const Request& r) { return organisation(r); }));
  router.add(Verb::get, "/territoires", "territories", cached([this](const Request& r) { return territories(r); }));
  router.add(Verb::get, "/carte", "map", cached([this](const Request& r) { return france_map(r); }));
  router.add(Verb::get, "/a-propos", "about", cached([this](const Request&) { return static_page("page-a-propos", "À propos", "about"); }));
  router.add(Verb::get, "/mentions-legales", "legal", cached([this](const Request&) { return static_page("page-mentions-legales", "Mentions légales", ""); }));
  router.add(Verb::get, "/accessibilite", "accessibility", cached([this](const Request&) { return static_page("page-accessibilite", "Déclaration d’accessibilité", ""); }));
  router.add(Verb::get, "/contact", "contact", cached([this](const Request&) { return static_page("page-contact", "Contact", ""); }));
  router.add(Verb::get, "/credits", "credits", cached([this](const Request&) { return static_page("page-credits", "Crédits et licences", ""); }));
  router.add(Verb::get, "/robots.txt", "robots", [](const Request&) {
    return Response::text("User-agent: *\nDisallow: /fiches/*/contact\nDisallow: /api/\n");
  });
}

Response Site::render(const Page& page, unsigned status) const {
  json view = page.view;
  view["demo"] = options_.demo_mode;
  const std::string content = templates_->render(page.template_name, view);
  json layout{
      {"page_title", page.title},
      {"meta_description", page.description.empty() ? std::string("Vigie, l’observatoire de l’intelligence artificielle dans les collectivités territoriales.") : page.description},
      {"content", content},
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
  return render(page, status);
}

Response Site::error_response(const Error& error) const { return render_error(Request{}, web::status_of(error.kind), error.message); }

Response Site::static_page(const std::string& template_name, const std::string& title, const std::string& nav) const {
  Page page;
  page.title = title;
  page.template_name = template_name;
  page.nav = nav;
  page.view = {{"contact_email", options_.contact_email}, {"referential_version", options_.referential_version}};
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", title}}});
  return render(page);
}

namespace {

// Looks organisations up on one borrowed connection for the duration of a request.
class RequestDirectory {
 public:
  explicit RequestDirectory(store::sqlite::ConnectionPool& pool) {
    auto lease = pool.acquire();
    if (lease.ok()) lease_.emplace(std::move(lease).value());
  }
  std::optional<domain::Organisation> find(const std::string& code) {
    if (!lease_) return std::nullopt;
    territory::Directory directory(**lease_);
    auto found = directory.find(code);
    if (!found.ok()) return std::nullopt;
    return std::move(found).value();
  }
  OrganisationLookup lookup() {
    return [this](const std::string& code) { return find(code); };
  }
  store::sqlite::Database* database() { return lease_ ? &**lease_ : nullptr; }

 private:
  std::optional<store::sqlite::ConnectionPool::Lease> lease_;
};

}  // namespace

Response Site::home(const Request&) {
  auto figures = use_cases_.key_figures();
  if (!figures.ok()) return error_response(figures.error());
  store::UseCaseListQuery query;
  query.limit = 6;
  auto latest = use_cases_.list(query);
  if (!latest.ok()) return error_response(latest.error());
  RequestDirectory directory(pool_);
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
  return render(page);
}

Response Site::library(const Request& request) {
  search::SearchRequest search_request = library_search_request(request.query);
  store::UseCaseListQuery query;
  query.filter = search_request.filter;
  store::UseCaseFilter& filter = query.filter;
  const std::string words = search_request.text;
  const std::string sort = request.query.get("tri", words.empty() ? "recent" : "pertinence");
  query.sort = sort == "titre" ? store::UseCaseSort::title : store::UseCaseSort::recent;
  const std::int64_t page_number = std::min<std::int64_t>(parse_positive(request.query.get("page", "1")).value_or(1), 100000);
  query.limit = kPageSize;
  query.offset = static_cast<std::size_t>(page_number - 1) * kPageSize;

  // With words and an index: ranked full-text search; otherwise the store's listing (which
  // matches words with SQL when there is no index).
  store::UseCasePage result_page;
  std::vector<std::string> highlight_stems;
  std::map<std::string, std::map<std::string, std::int64_t>> facet_counts;
  std::string suggestion;
  if (index_ && index_->sequence() >= 0) {
    search_request.sort = sort == "titre" ? search::SearchSort::title : sort == "recent" ? search::SearchSort::recent : search::SearchSort::relevance;
    search_request.offset = query.offset;
    search_request.limit = query.limit;
    auto found = index_->search(search_request);
    if (!found.ok()) return error_response(found.error());
    result_page.total = found->total;
    highlight_stems = found->stems;
    facet_counts = std::move(found->facets);
    suggestion = found->suggestion;
    for (const auto& hit : found->hits) {
      if (auto fiche = use_cases_.get(hit.id); fiche.ok()) result_page.items.push_back(std::move(fiche).value());
    }
  } else {
    filter.text = words;
    auto listed = use_cases_.list(query);
    if (!listed.ok()) return error_response(listed.error());
    result_page = std::move(listed).value();
  }
  const store::UseCasePage* result = &result_page;

  RequestDirectory directory(pool_);
  json items = json::array();
  for (const auto& u : result->items) {
    json card = card_view(u, taxonomies_, directory.lookup());
    if (!highlight_stems.empty()) card["snippet_html"] = search::highlight_html(u.summary, highlight_stems);
    items.push_back(std::move(card));
  }

  // Facet options (with the current selection), and the active filters with a link removing each.
  json facets = json::array();
  json active = json::array();
  auto url_without = [&](const std::string& param, const std::string& value) {
    web::QueryParams kept;
    for (const auto& [key, item] : request.query.items()) {
      if ((key == param && item == value) || key == "page" || item.empty()) continue;
      kept.add(key, item);
    }
    const std::string encoded = kept.encode();
    return encoded.empty() ? std::string("/bibliotheque") : "/bibliotheque?" + encoded;
  };
  for (const auto& filter_param : kFilterParams) {
    const auto selected = request.query.all(filter_param.param);
    const auto& taxonomy = taxonomies_.get(filter_param.taxonomy);
    json options = json::array();
    for (const auto& term : taxonomy.terms()) {
      if (std::string_view(filter_param.param) == "type" &&
          std::none_of(std::begin(kFilterableKinds), std::end(kFilterableKinds), [&](const char* kind) { return term.code == kind; })) {
        continue;
      }
      const bool checked = std::find(selected.begin(), selected.end(), term.code) != selected.end();
      json option{{"id", fmt::format("f-{}-{}", filter_param.param, term.code)}, {"param", filter_param.param},
                  {"code", term.code}, {"label", term.label}, {"checked", checked}};
      if (auto facet = facet_counts.find(filter_param.param); facet != facet_counts.end()) {
        auto count = facet->second.find(term.code);
        option["count"] = text::group_digits(count == facet->second.end() ? 0 : count->second);
      }
      options.push_back(std::move(option));
      if (checked) {
        active.push_back({{"label", fmt::format("{} : {}", filter_param.label, term.label)},
                          {"remove_url", url_without(filter_param.param, term.code)}});
      }
    }
    facets.push_back({{"label", filter_param.label}, {"options", options}, {"open", !selected.empty()},
                      {"selected_count", selected.empty() ? std::string() : std::to_string(selected.size())}});
  }
  // Facets only the index counts: their options are built from the counts themselves.
  if (!facet_counts.empty()) {
    auto add_facet = [&](const char* param, const char* label, const std::vector<std::pair<std::string, std::string>>& values,
                         bool hide_empty) {
      const auto selected = request.query.all(param);
      const auto& counts = facet_counts[param];
      json options = json::array();
      for (const auto& [code, value_label] : values) {
        const bool checked = std::find(selected.begin(), selected.end(), code) != selected.end();
        auto count = counts.find(code);
        const std::int64_t n = count == counts.end() ? 0 : count->second;
        if (hide_empty && n == 0 && !checked) continue;
        options.push_back({{"id", fmt::format("f-{}-{}", param, code)}, {"param", param}, {"code", code}, {"label", value_label},
                           {"checked", checked}, {"count", text::group_digits(n)}});
        if (checked) active.push_back({{"label", fmt::format("{} : {}", label, value_label)}, {"remove_url", url_without(param, code)}});
      }
      facets.push_back({{"label", label}, {"options", options}, {"open", !selected.empty()},
                        {"selected_count", selected.empty() ? std::string() : std::to_string(selected.size())}});
    };
    auto from_taxonomy = [&](const char* name) {
      std::vector<std::pair<std::string, std::string>> values;
      for (const auto& term : taxonomies_.get(name).terms()) values.emplace_back(term.code, term.label);
      return values;
    };
    // Names of the régions and départements counted, from the referential.
    auto from_referential = [&](const char* param, const char* code_prefix, const char* overseas_prefix) {
      std::vector<std::pair<std::string, std::string>> values;
      for (const auto& [code, count] : facet_counts[param]) {
        auto found = directory.find(code_prefix + code);
        if (!found) found = directory.find(overseas_prefix + code);
        values.emplace_back(code, found ? found->name : code);
      }
      std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return text::fold(a.second) < text::fold(b.second); });
      return values;
    };
    std::vector<std::pair<std::string, std::string>> sizes;
    for (auto band : {domain::SizeBand::under_3500, domain::SizeBand::from_3500_to_20000, domain::SizeBand::from_20000_to_100000,
                      domain::SizeBand::over_100000}) {
      sizes.emplace_back(domain::size_band_code(band), domain::size_band_label(band));
    }
    add_facet("taille", "Taille de la collectivité", sizes, false);
    add_facet("region", "Région", from_referential("region", "region-", "com-"), true);
    add_facet("departement", "Département", from_referential("departement", "departement-", "com-"), true);
    add_facet("categorie-ai-act", "Catégorie AI Act déclarée", from_taxonomy(tx::kAiActCategories), false);
    add_facet("fournisseur", "Réalisation", from_taxonomy(tx::kProviderTypes), false);
    add_facet("libre", "Code source", {{"oui", "Publié (logiciel libre)"}, {"non", "Non publié"}}, false);
  }
  if (!filter.owner.empty()) {
    auto owner = directory.find(filter.owner);
    active.push_back({{"label", "Collectivité : " + (owner ? owner->name : filter.owner)}, {"remove_url", url_without("collectivite", filter.owner)}});
  }
  if (!words.empty()) active.push_back({{"label", "Mots-clés : « " + words + " »"}, {"remove_url", url_without("q", request.query.get("q"))}});

  // Pagination links keep every parameter but the page number.
  const std::int64_t page_count = std::max<std::int64_t>(1, (result->total + static_cast<std::int64_t>(kPageSize) - 1) / static_cast<std::int64_t>(kPageSize));
  auto page_url = [&](std::int64_t number) {
    web::QueryParams kept;
    for (const auto& [key, item] : request.query.items()) {
      if (key != "page" && !item.empty()) kept.add(key, item);
    }
    if (number > 1) kept.add("page", std::to_string(number));
    const std::string encoded = kept.encode();
    return encoded.empty() ? std::string("/bibliotheque") : "/bibliotheque?" + encoded;
  };
  json pagination = nullptr;
  if (page_count > 1) {
    json pages = json::array();
    for (std::int64_t n = 1; n <= page_count; ++n) {
      const bool near = n == 1 || n == page_count || (n >= page_number - 2 && n <= page_number + 2);
      if (!near) {
        if (pages.empty() || !pages.back().value("gap", false)) pages.push_back({{"gap", true}, {"current", false}});
        continue;
      }
      pages.push_back({{"number", n}, {"url", page_url(n)}, {"current", n == page_number}, {"gap", false}});
    }
    pagination = {{"pages", pages},
                  {"previous", page_number > 1 ? page_url(page_number - 1) : std::string()},
                  {"next", page_number < page_count ? page_url(page_number + 1) : std::string()}};
  }

  json sorts = json::array();
  if (!words.empty()) sorts.push_back({{"code", "pertinence"}, {"label", "Pertinence"}, {"selected", sort != "recent" && sort != "titre"}});
  sorts.push_back({{"code", "recent"}, {"label", "Les plus récentes"}, {"selected", sort == "recent"}});
  sorts.push_back({{"code", "titre"}, {"label", "Titre (A → Z)"}, {"selected", sort == "titre"}});
  const std::string total_label = result->total == 0 ? std::string("Aucune fiche")
                                  : result->total == 1 ? std::string("1 fiche")
                                  : fmt::format("{} fiches", text::group_digits(result->total));
  Page page;
  page.title = page_number > 1 ? fmt::format("Bibliothèque — page {}", page_number) : std::string("Bibliothèque");
  page.template_name = "library";
  page.nav = "library";
  page.canonical_path = "/bibliotheque";
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Bibliothèque"}}});
  page.view = {
      {"items", items},
      {"total_label", page_count > 1 ? fmt::format("{} — page {} sur {}", total_label, page_number, page_count) : total_label},
      {"facets", facets},
      {"active_filters", active},
      {"has_filters", !active.empty()},
      {"query", words},
      {"suggestion", suggestion},
      {"map_url", [&] {
         web::QueryParams kept;
         for (const auto& [key, value] : request.query.items()) {
           if (key != "page" && key != "tri" && !value.empty()) kept.add(key, value);
         }
         const std::string encoded = kept.encode();
         return encoded.empty() ? std::string("/carte") : "/carte?" + encoded;
       }()},
      {"suggestion_url", suggestion.empty() ? std::string() : "/bibliotheque?q=" + web::url_encode(suggestion)},
      {"sorts", sorts},
      {"pagination", pagination},
  };
  return render(page);
}

namespace {

// "12-detection-des-depots" -> 12
std::optional<domain::UseCaseId> id_from_slug(std::string_view id_and_slug) {
  const auto dash = id_and_slug.find('-');
  return parse_positive(id_and_slug.substr(0, dash));
}

}  // namespace

Response Site::fiche(const Request& request) {
  const auto id = id_from_slug(request.param("id"));
  if (!id) return render_error(request, 404, "Cette adresse ne correspond à aucune fiche.");
  auto found = use_cases_.get(*id);
  if (!found.ok()) return error_response(found.error());
  const UseCase& u = *found;
  if (u.publication_state != domain::kPublished && u.publication_state != domain::kArchived) {
    return render_error(request, 404, "Cette fiche n’est pas publiée.");
  }
  const std::string canonical = use_case_path(u);
  if (request.path != canonical) return Response::redirect(canonical, 301);

  RequestDirectory directory(pool_);
  json view = fiche_view(u, taxonomies_, directory.lookup(), [this](domain::UseCaseId target) -> std::optional<UseCase> {
    auto related = use_cases_.get(target);
    if (!related.ok()) return std::nullopt;
    return std::move(related).value();
  });
  // Similar fiches: the index's "more like this" when there is one, else shared terms in SQL.
  json similar = json::array();
  if (index_ && index_->sequence() >= 0) {
    if (auto ids = index_->similar(u.id, 4); ids.ok()) {
      for (const auto similar_id : *ids) {
        if (auto other = use_cases_.get(similar_id); other.ok()) similar.push_back(card_view(*other, taxonomies_, directory.lookup()));
      }
    }
  } else if (auto found_similar = use_cases_.similar(u.id, 4); found_similar.ok()) {
    for (const auto& other : *found_similar) similar.push_back(card_view(other, taxonomies_, directory.lookup()));
  }
  json same_owner = json::array();
  if (auto found_same = use_cases_.by_owners(u.owners, u.id, 4); found_same.ok()) {
    for (const auto& other : *found_same) same_owner.push_back(card_view(other, taxonomies_, directory.lookup()));
  }
  view["similar"] = similar;
  view["same_owner"] = same_owner;
  view["has_same_owner"] = !same_owner.empty();
  view["demo"] = u.demo;

  Page page;
  page.title = u.title;
  page.description = u.summary;
  page.template_name = "fiche";
  page.nav = "library";
  page.canonical_path = canonical;
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Bibliothèque"}, {"url", "/bibliotheque"}}, {{"label", u.title}}});
  page.view = std::move(view);
  return render(page);
}

Response Site::fiche_contact(const Request& request) {
  const auto id = id_from_slug(request.param("id"));
  if (!id) return render_error(request, 404, "Cette adresse ne correspond à aucune fiche.");
  auto found = use_cases_.get(*id);
  if (!found.ok()) return error_response(found.error());
  if (found->publication_state != domain::kPublished || found->contact.email.empty()) {
    return render_error(request, 404, "Cette fiche n’a pas de contact public.");
  }
  Page page;
  page.title = "Contact — " + found->title;
  page.template_name = "contact-reveal";
  page.nav = "library";
  page.noindex = true;
  page.view = {{"title", found->title}, {"fiche_url", use_case_path(*found)}, {"role", found->contact.role},
               {"email", found->contact.email}, {"demo", found->demo}};
  return render(page);
}

Response Site::organisation(const Request& request) {
  RequestDirectory requests(pool_);
  if (!requests.database()) return render_error(request, 503, "La base de données est momentanément indisponible.");
  territory::Directory directory(*requests.database());
  auto found = directory.find(std::string(request.param("code")));
  if (!found.ok()) {
    return render_error(request, 404, "Aucune collectivité ne porte ce code dans le référentiel : vérifiez le numéro SIREN.");
  }
  const domain::Organisation& organisation = *found;
  const auto& kinds = taxonomies_.get(tx::kOrganisationKinds);
  auto organisation_item = [&](const domain::Organisation& other) {
    return json{{"name", other.name}, {"url", organisation_path(other.code)}, {"kind_label", kinds.label(other.kind)},
                {"population", french_population(other.population)}, {"department_code", other.department_code}};
  };
  json parents = json::array();
  if (auto found_parents = directory.parents(organisation); found_parents.ok()) {
    for (const auto& parent : *found_parents) parents.push_back(organisation_item(parent));
  }
  json members = json::array();
  if (auto found_members = directory.members(organisation); found_members.ok()) {
    for (const auto& member : *found_members) members.push_back(organisation_item(member));
  }
  json peers = json::array();
  if (auto found_peers = directory.peers_with_fiches(organisation, 8); found_peers.ok()) {
    for (const auto& peer : *found_peers) {
      json item = organisation_item(peer.organisation);
      item["fiche_count"] = peer.fiche_count == 1 ? std::string("1 fiche") : fmt::format("{} fiches", peer.fiche_count);
      item["fiches_url"] = "/bibliotheque?collectivite=" + web::url_encode(peer.organisation.code);
      peers.push_back(std::move(item));
    }
  }
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
      {"size_band", domain::size_band_label(domain::size_band(organisation.population))},
      {"kind_plural", kinds.find(organisation.kind) ? kinds.find(organisation.kind)->column("libelle-pluriel") : std::string()},
      {"fiche_total", fiches->total},
      {"has_more_fiches", fiches->total > static_cast<std::int64_t>(cards.size())},
  };
  return render(page);
}

Response Site::territories(const Request& request) {
  const std::string query = std::string(text::trim(request.query.get("q")));
  json results = json::array();
  if (!query.empty()) {
    RequestDirectory requests(pool_);
    if (!requests.database()) return render_error(request, 503, "La base de données est momentanément indisponible.");
    territory::Directory directory(*requests.database());
    auto found = directory.search(query, 50);
    if (found.ok()) {
      const auto& kinds = taxonomies_.get(tx::kOrganisationKinds);
      for (const auto& organisation : *found) {
        results.push_back({{"name", organisation.name}, {"url", organisation_path(organisation.code)},
                           {"kind_label", kinds.label(organisation.kind)}, {"department_code", organisation.department_code},
                           {"population", organisation.population ? text::group_digits(*organisation.population) : std::string("—")}});
      }
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
      {"result_label", results.empty() ? std::string("Aucune collectivité trouvée")
                       : results.size() == 1 ? std::string("1 collectivité trouvée")
                       : fmt::format("{} collectivités trouvées", results.size())},
  };
  return render(page);
}

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
  web::QueryParams kept;
  for (const auto& [key, value] : request.query.items()) {
    if (key != "departement" && key != "page" && !value.empty()) kept.add(key, value);
  }
  const std::string base = kept.encode();
  observatory::MapOptions options;
  options.link_for = [&base](const std::string& code) {
    return "/bibliotheque?" + (base.empty() ? std::string() : base + "&") + "departement=" + web::url_encode(code);
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
      {"library_url", base.empty() ? std::string("/bibliotheque") : "/bibliotheque?" + base},
      {"query", search_request.text},
  };
  return render(page);
}

}  // namespace vigie::pages
