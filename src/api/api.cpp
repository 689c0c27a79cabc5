#include "api/api.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <charconv>

#include "core/text.h"
#include "domain/use_case_json.h"
#include "api/json_body.h"
#include "web/conditional.h"
#include "web/problem.h"

namespace vigie::api {

using domain::UseCase;
using nlohmann::json;
using web::Request;
using web::Response;

namespace {

constexpr std::size_t kDefaultLimit = 20;
constexpr std::size_t kMaxLimit = 100;

Response json_response(const json& document, unsigned status = 200) {
  return Response::json(document.dump(-1, ' ', false, json::error_handler_t::replace), status);
}

std::optional<std::int64_t> parse_positive(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::string etag_of(const UseCase& u) { return fmt::format("\"{}-{}\"", u.id, u.revision); }

// RFC 9110 §13.1.1 for a write: If-Match holds when it names, compared strongly, the ETag the
// fiche's JSON is served under (identity or gzip variant), or is "*". A weak or malformed tag
// matches nothing, so the write fails with 412.
web::Precondition fiche_if_match(const Request& request, const UseCase& current) {
  const std::string etag = etag_of(current);
  const web::Precondition identity = web::if_match(request, etag);
  if (identity != web::Precondition::fails) return identity;
  return web::if_match(request, web::gzip_variant_etag(etag));
}

Response precondition_failed(const Request& request) {
  return web::problem(412, "La fiche a changé depuis votre lecture, ou l'en-tête If-Match n'est pas un ETag de cette fiche : relisez-la puis recommencez.",
                      request.path);
}

// Parses a JSON request body into a fiche, or the problem document explaining why not.
Result<UseCase> read_fiche_body(const Request& request) {
  TRY_ASSIGN(const json document, read_json_body(request));
  return domain::from_json(document);
}

}  // namespace

Api::Api(const domain::Taxonomies& taxonomies, store::UseCaseStore& use_cases, store::OrganisationDirectory& organisations,
         const search::SearchIndex* index, ApiOptions options)
    : taxonomies_(taxonomies), use_cases_(use_cases), organisations_(organisations), index_(index), options_(std::move(options)) {}

namespace {

// The parameters of the fiche list and the search: the library's filters, and `extra`.
web::ReadParams filter_params(std::initializer_list<std::string_view> extra) {
  std::vector<std::string> names = {"q", "tri", "limite", "collectivite"};
  for (const auto& filter : search::kLibraryFilters) names.emplace_back(filter.param);
  names.insert(names.end(), extra.begin(), extra.end());
  return web::ReadParams(std::move(names));
}

}  // namespace

void Api::register_routes(web::Router& router, const web::CacheDecorator& cached) {
  using web::Verb;
  const web::ReadParams none{};
  router.add(Verb::get, "/api/v1/fiches", "api_fiches", cached(filter_params({"curseur"}), [this](const Request& r) { return list_fiches(r); }));
  router.add(Verb::post, "/api/v1/fiches", "api_fiches_create", [this](const Request& r) { return create_fiche(r); });
  router.add(Verb::get, "/api/v1/fiches/{id}", "api_fiche", cached(none, [this](const Request& r) { return get_fiche(r); }));
  router.add(Verb::put, "/api/v1/fiches/{id}", "api_fiche_update", [this](const Request& r) { return update_fiche(r); });
  router.add(Verb::delete_, "/api/v1/fiches/{id}", "api_fiche_archive", [this](const Request& r) { return archive_fiche(r); });
  router.add(Verb::get, "/api/v1/collectivites/{code}", "api_collectivite", cached(none, [this](const Request& r) { return get_organisation(r); }));
  router.add(Verb::get, "/api/v1/territoires", "api_territoires", cached({"q", "limite"}, [this](const Request& r) { return search_territories(r); }));
  router.add(Verb::get, "/api/v1/suggestions", "api_suggestions", cached({"q", "type"}, [this](const Request& r) { return suggestions(r); }));
  router.add(Verb::get, "/api/v1/recherche", "api_recherche", cached(filter_params({"page", "corriger"}), [this](const Request& r) { return search_fiches(r); }));
  router.add(Verb::get, "/api/v1/openapi.json", "api_openapi", cached(none, [this](const Request& r) { return openapi(r); }));
  router.add(Verb::post, "/api/v1/outils/classification-ai-act", "api_classification", [this](const Request& r) { return classify(r); });
  router.add(Verb::post, "/api/v1/outils/evaluation-impact", "api_evaluation_impact", [this](const Request& r) { return evaluate_impact(r); });
  router.add(Verb::post, "/api/v1/fiches/{id}/evaluations", "api_attach_assessment", [this](const Request& r) { return attach_assessment(r); });
}

std::optional<Response> Api::require_admin(const Request& request) const {
  const std::string_view header = request.header("authorization");
  if (header.empty()) {
    Response response = web::problem(401, "Cette opération demande un jeton d'administration (en-tête Authorization: Bearer …).", request.path);
    response.with_header("WWW-Authenticate", "Bearer realm=\"vigie\"");
    return response;
  }
  const std::string_view token = web::bearer_token(header);
  const bool allowed = !options_.admin_token.empty() && token.size() == options_.admin_token.size() &&
                       sodium_memcmp(token.data(), options_.admin_token.data(), token.size()) == 0;
  if (!allowed) return web::problem(403, "Ce jeton ne permet pas de modifier les fiches.", request.path);
  return std::nullopt;
}

namespace {

// How search results answer the words typed, as the API names it.
const char* match_code(search::MatchKind match) {
  switch (match) {
    case search::MatchKind::all_words: return "tous-les-mots";
    case search::MatchKind::corrected: return "orthographe-corrigee";
    case search::MatchKind::closest: return "plus-proches";
    case search::MatchKind::none: return "aucune";
  }
  return "tous-les-mots";
}

// The library's filters, shared by /fiches and /recherche (the store applies those with a
// store member, the index all of them); codes unknown to a filter's taxonomy are reported in
// `errors`.
search::SearchRequest read_filters(const Request& request, const domain::Taxonomies& taxonomies, std::vector<FieldError>& errors) {
  search::SearchRequest search_request;
  for (const auto& filter : search::kLibraryFilters) {
    auto values = request.query.all(filter.param);
    if (filter.taxonomy) {
      for (const auto& value : values) {
        if (!taxonomies.get(filter.taxonomy).contains(value)) errors.push_back({filter.param, fmt::format("« {} » n'est pas un code connu", value)});
      }
    }
    search::select_filter(search_request, filter.param, std::move(values));
  }
  search_request.filter.owner = request.query.get("collectivite");
  return search_request;
}

// "limite": 1 to kMaxLimit, kDefaultLimit when absent.
std::size_t read_limit(const Request& request, std::vector<FieldError>& errors) {
  if (!request.query.has("limite")) return kDefaultLimit;
  auto limit = parse_positive(request.query.get("limite"));
  if (!limit || *limit > static_cast<std::int64_t>(kMaxLimit)) {
    errors.push_back({"limite", fmt::format("doit être un entier entre 1 et {}", kMaxLimit)});
    return kDefaultLimit;
  }
  return static_cast<std::size_t>(*limit);
}

}  // namespace

Response Api::search_fiches(const Request& request) {
  std::vector<FieldError> errors;
  search::SearchRequest search_request = read_filters(request, taxonomies_, errors);
  search_request.text = std::string(text::trim(request.query.get("q")));
  const std::string correct = request.query.get("corriger", "oui");
  if (correct != "oui" && correct != "non") errors.push_back({"corriger", "doit valoir « oui » ou « non »"});
  search_request.correct_spelling = correct != "non";
  search_request.limit = read_limit(request, errors);
  const std::string sort = request.query.get("tri", "pertinence");
  if (sort != "pertinence" && sort != "recent" && sort != "titre") errors.push_back({"tri", "doit valoir « pertinence », « recent » ou « titre »"});
  search_request.sort = sort == "titre" ? search::SearchSort::title : sort == "recent" ? search::SearchSort::recent : search::SearchSort::relevance;
  const auto page = parse_positive(request.query.get("page", "1"));
  if (!page || *page > 10000) errors.push_back({"page", "doit être un entier entre 1 et 10 000"});
  if (!errors.empty()) return web::problem(Error::invalid("Paramètres de recherche invalides.", std::move(errors)), request.target);
  search_request.offset = static_cast<std::size_t>(*page - 1) * search_request.limit;
  if (!index_) return web::problem(503, "La recherche est momentanément indisponible.", request.target);
  auto found = index_->search(search_request);
  if (!found.ok()) return web::problem(found.error(), request.target);
  json results = json::array();
  for (const auto& hit : found->hits) {
    auto fiche = use_cases_.get(hit.id);
    if (!fiche.ok()) continue;
    results.push_back({{"id", fiche->id}, {"titre", fiche->title}, {"resume", fiche->summary}, {"statut", fiche->status},
                       {"domaines", fiche->domains}, {"porteurs", fiche->owners}, {"pertinence", hit.percent},
                       {"demo", fiche->demo}, {"fiche", fmt::format("/api/v1/fiches/{}", fiche->id)}});
  }
  auto text_or_null = [](const std::string& value) { return value.empty() ? json(nullptr) : json(value); };
  return json_response({{"total", found->total},
                        {"page", *page},
                        {"correspondance", match_code(found->match)},
                        {"totalTousLesMots", found->all_words_total},
                        {"requeteCorrigee", text_or_null(found->corrected_query)},
                        {"motsIgnores", found->ignored_words},
                        {"motsNonFiltrants", found->non_filtering_words},
                        {"resultats", results},
                        {"facettes", found->facets},
                        {"suggestion", text_or_null(found->suggestion)}});
}

Response Api::suggestions(const Request& request) {
  const std::string typed(text::trim(request.query.get("q")));
  // "type=collectivite" keeps authorities only (the "authorities like mine" picker).
  const bool organisations_only = request.query.get("type") == "collectivite";
  json found = json::array();
  if (typed.size() < 2 || typed.size() > 200) return json_response(found);
  // Fiches whose words start like the typed text (the last word as a prefix), else fiches
  // holding the words as typed, read with the vocabulary ("poubelle", "CCAS"). The closest
  // fiches are no suggestion.
  if (index_ && index_->sequence() >= 0 && !organisations_only) {
    for (const std::string& text : {typed + "*", typed}) {
      search::SearchRequest search_request;
      search_request.text = text;
      search_request.limit = 5;
      // Asked at every keystroke, on words still being typed: no spelling correction (the
      // library corrects the query once it is sent).
      search_request.correct_spelling = false;
      auto results = index_->search(search_request);
      if (!results.ok() || results->hits.empty()) continue;
      if (results->match != search::MatchKind::all_words) continue;
      for (const auto& hit : results->hits) {
        if (auto fiche = use_cases_.get(hit.id); fiche.ok()) {
          found.push_back({{"type", "fiche"}, {"libelle", fiche->title},
                           {"url", fmt::format("/fiches/{}-{}", fiche->id, text::slugify(fiche->title))}});
        }
      }
      break;
    }
  }
  if (auto organisations = organisations_.search(typed, organisations_only ? 8 : 3); organisations.ok()) {
    const auto& kinds = taxonomies_.get(domain::taxonomy::kOrganisationKinds);
    for (const auto& organisation : *organisations) {
      std::string label = organisation.name;
      if (!organisation.department_code.empty()) label += " (" + organisation.department_code + ")";
      found.push_back({{"type", kinds.label(organisation.kind)}, {"libelle", label}, {"code", organisation.code},
                       {"url", "/collectivites/" + organisation.code}});
    }
  }
  // Providers: their fiches, by a phrase search on the name.
  if (!organisations_only) {
    if (auto providers = use_cases_.provider_names(typed, 3); providers.ok()) {
      for (const auto& [name, count] : *providers) {
        found.push_back({{"type", count == 1 ? std::string("fournisseur, 1 fiche") : fmt::format("fournisseur, {} fiches", count)},
                         {"libelle", name}, {"url", "/bibliotheque?q=" + web::url_encode("\"" + name + "\"")}});
      }
    }
  }
  return json_response(found);
}

Response Api::list_fiches(const Request& request) {
  store::UseCaseListQuery query;
  std::vector<FieldError> errors;
  query.filter = read_filters(request, taxonomies_, errors).filter;
  query.filter.text = std::string(text::trim(request.query.get("q")));
  query.sort = request.query.get("tri") == "titre" ? store::UseCaseSort::title : store::UseCaseSort::recent;
  query.after = request.query.get("curseur");
  query.limit = read_limit(request, errors);
  if (request.query.has("tri") && request.query.get("tri") != "titre" && request.query.get("tri") != "recent") {
    errors.push_back({"tri", "doit valoir « recent » ou « titre »"});
  }
  if (!errors.empty()) return web::problem(Error::invalid("Paramètres de recherche invalides.", std::move(errors)), request.target);
  auto page = use_cases_.list(query);
  if (!page.ok()) return web::problem(page.error(), request.target);
  json items = json::array();
  for (const auto& u : page->items) items.push_back(domain::to_json(u));
  json next = nullptr;
  if (!page->next_cursor.empty()) {
    web::QueryParams params;
    for (const auto& [key, value] : request.query.items()) {
      if (key != "curseur") params.add(key, value);
    }
    params.add("curseur", page->next_cursor);
    next = "/api/v1/fiches?" + params.encode();
  }
  return json_response({{"total", page->total}, {"fiches", items}, {"suivant", next}});
}

Response Api::get_fiche(const Request& request) {
  const auto id = parse_positive(request.param("id"));
  if (!id) return web::problem(404, "Aucune fiche ne porte ce numéro.", request.path);
  auto found = use_cases_.get(*id);
  if (!found.ok()) return web::problem(found.error(), request.path);
  // Drafts and submitted fiches are not public yet.
  if (found->publication_state != domain::kPublished && found->publication_state != domain::kArchived && require_admin(request)) {
    return web::problem(404, fmt::format("Aucune fiche publiée ne porte le numéro {}.", *id), request.path);
  }
  // The server answers If-None-Match (web/conditional.h).
  Response response = json_response(domain::to_json(*found));
  response.with_header("ETag", etag_of(*found));
  return response;
}

Response Api::create_fiche(const Request& request) {
  if (auto denied = require_admin(request)) return *denied;
  auto fiche = read_fiche_body(request);
  if (!fiche.ok()) return web::problem(fiche.error(), request.path);
  auto created = use_cases_.create(std::move(fiche).value(), store::Actor{"api:admin-token"});
  if (!created.ok()) return web::problem(created.error(), request.path);
  if (options_.on_change) options_.on_change();
  Response response = json_response(domain::to_json(*created), 201);
  response.with_header("Location", fmt::format("/api/v1/fiches/{}", created->id));
  response.with_header("ETag", etag_of(*created));
  return response;
}

Response Api::update_fiche(const Request& request) {
  if (auto denied = require_admin(request)) return *denied;
  const auto id = parse_positive(request.param("id"));
  if (!id) return web::problem(404, "Aucune fiche ne porte ce numéro.", request.path);
  auto fiche = read_fiche_body(request);
  if (!fiche.ok()) return web::problem(fiche.error(), request.path);
  // The revision the client read: If-Match (preferred) or the document's "revision".
  std::optional<std::int64_t> expected;
  if (request.has_header("if-match")) {
    auto current = use_cases_.get(*id);
    if (!current.ok()) return web::problem(current.error(), request.path);
    if (fiche_if_match(request, *current) != web::Precondition::holds) return precondition_failed(request);
    expected = current->revision;
  } else {
    const json document = json::parse(request.body, nullptr, false);
    if (document.contains("revision") && document["revision"].is_number_integer()) expected = document["revision"].get<std::int64_t>();
  }
  if (!expected) {
    return web::problem(Error::invalid("Indiquez la révision que vous modifiez (en-tête If-Match ou champ « revision »).",
                                       {{"revision", "est obligatoire pour une modification"}}),
                        request.path);
  }
  UseCase use_case = std::move(fiche).value();
  use_case.id = *id;
  auto updated = use_cases_.update(std::move(use_case), *expected, store::Actor{"api:admin-token"});
  if (!updated.ok()) return web::problem(updated.error(), request.path);
  if (options_.on_change) options_.on_change();
  Response response = json_response(domain::to_json(*updated));
  response.with_header("ETag", etag_of(*updated));
  return response;
}

Response Api::archive_fiche(const Request& request) {
  if (auto denied = require_admin(request)) return *denied;
  const auto id = parse_positive(request.param("id"));
  if (!id) return web::problem(404, "Aucune fiche ne porte ce numéro.", request.path);
  if (!request.has_header("if-match")) {
    return web::problem(Error::invalid("Indiquez la révision que vous archivez (en-tête If-Match).", {{"If-Match", "est obligatoire"}}),
                        request.path);
  }
  auto current = use_cases_.get(*id);
  if (!current.ok()) return web::problem(current.error(), request.path);
  if (fiche_if_match(request, *current) != web::Precondition::holds) return precondition_failed(request);
  auto archived = use_cases_.archive(*id, current->revision, store::Actor{"api:admin-token"});
  if (!archived.ok()) return web::problem(archived.error(), request.path);
  if (options_.on_change) options_.on_change();
  Response response = json_response(domain::to_json(*archived));
  response.with_header("ETag", etag_of(*archived));
  return response;
}

namespace {

json organisation_json(const domain::Organisation& o) {
  return {
      {"code", o.code},
      {"siren", o.siren.empty() ? json(nullptr) : json(o.siren)},
      {"type", o.kind},
      {"nom", o.name},
      {"codeInsee", o.insee_code.empty() ? json(nullptr) : json(o.insee_code)},
      {"population", o.population ? json(*o.population) : json(nullptr)},
      {"codeDepartement", o.department_code.empty() ? json(nullptr) : json(o.department_code)},
      {"codeRegion", o.region_code.empty() ? json(nullptr) : json(o.region_code)},
      {"codesPostaux", o.postal_codes},
      {"url", "/collectivites/" + o.code},
  };
}

}  // namespace

Response Api::get_organisation(const Request& request) {
  store::OrganisationDirectory& directory = organisations_;
  auto found = directory.find(std::string(request.param("code")));
  if (!found.ok()) {
    if (found.error().kind != ErrorKind::not_found) return web::problem(found.error(), request.path);  // 503, not "unknown"
    return web::problem(404, "Aucune collectivité ne porte ce code dans le référentiel.", request.path);
  }
  json document = organisation_json(*found);
  json parents = json::array();
  if (auto list = directory.parents(*found); list.ok()) {
    for (const auto& parent : *list) parents.push_back(organisation_json(parent));
  }
  json members = json::array();
  if (auto list = directory.members(*found); list.ok()) {
    for (const auto& member : *list) members.push_back({{"code", member.code}, {"nom", member.name}, {"type", member.kind}});
  }
  store::UseCaseListQuery query;
  query.filter.owner = found->code;
  query.limit = 1;
  auto fiches = use_cases_.list(query);
  document["rattachements"] = parents;
  document["membres"] = members;
  document["nombreFiches"] = fiches.ok() ? fiches->total : 0;
  document["fiches"] = "/api/v1/fiches?collectivite=" + found->code;
  return json_response(document);
}

Response Api::search_territories(const Request& request) {
  const std::string query(text::trim(request.query.get("q")));
  if (query.empty()) {
    return web::problem(Error::invalid("Indiquez un nom, un code postal, un code INSEE ou un SIREN.", {{"q", "est obligatoire"}}), request.target);
  }
  std::size_t limit = 10;
  if (request.query.has("limite")) {
    auto parsed = parse_positive(request.query.get("limite"));
    if (!parsed || *parsed > 50) return web::problem(Error::invalid("Paramètre invalide.", {{"limite", "doit être un entier entre 1 et 50"}}), request.target);
    limit = static_cast<std::size_t>(*parsed);
  }
  store::OrganisationDirectory& directory = organisations_;
  auto found = directory.search(query, limit);
  if (!found.ok()) return web::problem(found.error(), request.target);
  // A name with a typo: the closest names, each marked as such.
  bool closest = false;
  if (found->empty()) {
    found = directory.closest_names(query, limit);
    if (!found.ok()) return web::problem(found.error(), request.target);
    closest = true;
  }
  json results = json::array();
  for (const auto& organisation : *found) {
    json item = organisation_json(organisation);
    if (closest) item["correspondance"] = "nom-approchant";
    results.push_back(std::move(item));
  }
  return json_response(results);
}

}  // namespace vigie::api

namespace vigie::api {

Response Api::openapi(const Request&) {
  Response response = Response::json(options_.openapi_document);
  response.content_type = "application/vnd.oai.openapi+json; charset=utf-8";
  return response;
}

}  // namespace vigie::api
