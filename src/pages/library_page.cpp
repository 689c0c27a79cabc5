// The library (/bibliotheque): ranked search with facets, or the latest fiches, 20 per page.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/text.h"
#include "pages/format.h"
#include "pages/site_support.h"
#include "search/analysis.h"
#include "territory/directory.h"

namespace vigie::pages {

using domain::UseCase;
using nlohmann::json;
using web::Request;
using web::Response;
namespace tx = domain::taxonomy;

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

// "Communes" -> "communes", for the middle of a sentence.
std::string lower_first(std::string label) {
  if (!label.empty() && label[0] >= 'A' && label[0] <= 'Z') label[0] = static_cast<char>(label[0] - 'A' + 'a');
  return label;
}

// The authority typed in the "Collectivités comme la mienne" box: a code, or a name (or
// postal code) that either names one authority or leaves several candidates.
struct AuthorityChoice {
  std::optional<domain::Organisation> chosen;
  std::vector<domain::Organisation> candidates;
};

AuthorityChoice choose_authority(const std::string& typed, RequestDirectory& requests) {
  AuthorityChoice choice;
  if (auto by_code = requests.find(typed)) {
    choice.chosen = std::move(by_code);
    return choice;
  }
  if (!requests.database()) return choice;
  territory::Directory directory(*requests.database());
  auto found = directory.search(typed, 8);
  if (!found.ok() || found->empty()) return choice;
  // search() ranks exact names first: one exact name (or one result at all) is the choice.
  const std::string key = text::fold(typed);
  const auto exact = std::count_if(found->begin(), found->end(), [&](const auto& o) { return text::fold(o.name) == key; });
  if (found->size() == 1 || (exact == 1 && text::fold(found->front().name) == key)) {
    choice.chosen = found->front();
  } else {
    choice.candidates = std::move(found).value();
  }
  return choice;
}

// « quoted », « words » for a sentence.
std::string quoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ", ") + std::string("« ") + word + " »";
  return out;
}

}  // namespace

// What the page says about how its results answer the words typed (search::MatchKind): the
// closest fiches under an honest label, a correction applied at once with the way back, or
// nothing relevant with ways on. Null for a plain answer.
json Site::search_notice_view(const search::SearchResults& found, const web::QueryParams& query) const {
  const std::string typed(text::trim(query.get("q")));
  json notice = json::object();
  switch (found.match) {
    case search::MatchKind::all_words: return nullptr;
    case search::MatchKind::corrected: {
      web::QueryParams exact;
      exact.add("corriger", "non");
      notice["corrected"] = found.corrected_query;
      notice["typed"] = typed;
      notice["typed_url"] = link_keeping(query, "/bibliotheque", [](const std::string& key, const std::string&) {
        return key == "page" || key == "corriger";
      }, exact);
      break;
    }
    case search::MatchKind::closest:
      notice["closest"] = true;
      notice["closest_label"] = found.all_words_total == 0
                                    ? std::string("Aucune fiche ne contient tous vos mots ; voici les plus proches.")
                                    : fmt::format("Seule{} {} fiche{} contien{} tous vos mots ; voici aussi les plus proches.",
                                                  found.all_words_total > 1 ? "s" : "", found.all_words_total, found.all_words_total > 1 ? "s" : "",
                                                  found.all_words_total > 1 ? "nent" : "t");
      if (!found.corrected_query.empty()) notice["corrected_words"] = found.corrected_query;
      break;
    case search::MatchKind::none:
      notice["none"] = true;
      notice["typed"] = typed;
      break;
  }
  if (!found.ignored_words.empty()) {
    const bool several = found.ignored_words.size() > 1;
    notice["ignored"] = fmt::format("{} {} dans aucune fiche{}", quoted_list(found.ignored_words), several ? "ne figurent" : "ne figure",
                                    found.match == search::MatchKind::none ? "."
                                    : several                             ? " : ils n’ont pas été pris en compte."
                                                                          : " : il n’a pas été pris en compte.");
  }
  return notice;
}

// Ways on from a search that found nothing relevant: the domains, the map, the latest fiches.
json Site::ways_on_view(RequestDirectory& directory) const {
  json domains = json::array();
  for (const auto& term : taxonomies_.get(tx::kDomains).terms()) {
    domains.push_back({{"label", term.label}, {"url", "/bibliotheque?domaine=" + web::url_encode(term.code)}});
  }
  store::UseCaseListQuery latest_query;
  latest_query.limit = 5;
  json latest = json::array();
  if (auto listed = use_cases_.list(latest_query); listed.ok()) {
    for (const auto& u : listed->items) latest.push_back(card_view(u, taxonomies_, directory.lookup()));
  }
  return {{"domains", domains}, {"latest", latest}};
}

Response Site::library(const Request& request) {
  // "Collectivités comme la mienne": a choice from the box (`choix`) becomes the filters on the
  // authority's kind and size band, in a shareable URL; the panel then shows its closest peers.
  RequestDirectory directory(pool_);
  const std::string like_typed(text::trim(request.query.get("comme")));
  AuthorityChoice like_mine;
  if (!like_typed.empty()) {
    like_mine = choose_authority(like_typed, directory);
    if (like_mine.chosen && request.query.has("choix")) {
      return Response::redirect(link_keeping(request.query, "/bibliotheque", [](const std::string& key, const std::string&) {
                                  return key == "comme" || key == "choix" || key == "type" || key == "taille" || key == "page" || key == "collectivite";
                                }, like_mine_params(*like_mine.chosen)), 303);
    }
  }
  json like_mine_view = nullptr;
  if (like_mine.chosen) {
    const auto& kinds = taxonomies_.get(tx::kOrganisationKinds);
    const auto* kind = kinds.find(like_mine.chosen->kind);
    like_mine_view = {{"name", like_mine.chosen->name}, {"code", like_mine.chosen->code}, {"url", organisation_path(like_mine.chosen->code)},
                      {"kind_plural", kind ? lower_first(kind->column("libelle-pluriel")) : std::string()},
                      {"size_band", domain::size_band_label(domain::size_band(like_mine.chosen->population))},
                      {"peers", peers_view(directory, *like_mine.chosen, taxonomies_)},
                      {"stop_url", link_keeping(request.query, "/bibliotheque", [](const std::string& key, const std::string&) {
                         return key == "comme" || key == "choix" || key == "type" || key == "taille" || key == "page";
                       })}};
    like_mine_view["has_peers"] = !like_mine_view["peers"].empty();
  }
  json like_candidates = json::array();
  for (const auto& candidate : like_mine.candidates) {
    web::QueryParams chosen;
    chosen.add("comme", candidate.code);
    chosen.add("choix", "1");
    json item = organisation_item(candidate, taxonomies_);
    item["choose_url"] = link_keeping(request.query, "/bibliotheque", [](const std::string& key, const std::string&) {
      return key == "comme" || key == "choix" || key == "page";
    }, chosen);
    like_candidates.push_back(std::move(item));
  }

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
  json search_notice = nullptr;
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
    search_notice = search_notice_view(*found, request.query);
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
    return link_keeping(request.query, "/bibliotheque",
                        [&](const std::string& key, const std::string& item) { return (key == param && item == value) || key == "page"; });
  };
  for (const auto& filter_param : kFilterParams) {
    const auto selected = request.query.all(filter_param.param);
    const auto& taxonomy = taxonomies_.get(filter_param.taxonomy);
    json options = json::array();
    for (const auto& term : taxonomy.terms()) {
      if (std::string_view(filter_param.param) == "type" &&
          std::none_of(std::begin(kFilterableKinds), std::end(kFilterableKinds), [&](std::string_view kind) { return term.code == kind; })) {
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
      if (options.empty()) return;  // nothing to choose from (e.g. no fiche assessed yet)
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
    // Results of the assessments attached to fiches (src/assessment), shown when some exist.
    if (options_.assessments) {
      std::vector<std::pair<std::string, std::string>> outcomes;
      for (const auto& outcome : options_.assessments->classification.outcomes()) outcomes.emplace_back(outcome.id, outcome.label);
      add_facet("evaluation-ai-act", "Résultat de la pré-classification AI Act", outcomes, true);
      std::vector<std::pair<std::string, std::string>> levels;
      for (const auto& level : options_.assessments->impact.levels()) levels.emplace_back(level.id, "Niveau " + level.id + " — " + level.label);
      levels.emplace_back("bloque", "Système interdit");
      add_facet("niveau-impact", "Niveau d’impact évalué", levels, true);
    }
  }
  if (!filter.owner.empty()) {
    auto owner = directory.find(filter.owner);
    active.push_back({{"label", "Collectivité : " + (owner ? owner->name : filter.owner)}, {"remove_url", url_without("collectivite", filter.owner)}});
  }
  if (!words.empty()) active.push_back({{"label", "Mots-clés : « " + words + " »"}, {"remove_url", url_without("q", request.query.get("q"))}});

  // The map panel: the same search counted by département (disjunctive, like the facet).
  std::string map_panel;
  if (map_ && facet_counts.contains("departement")) {
    LibraryMapOptions map_options;
    map_options.compact = true;
    map_options.id_prefix = "panneau-carte-";
    map_panel = library_map(*map_, request.query, facet_counts["departement"], map_options).svg;
  }

  // Pagination links keep every parameter but the page number.
  const std::int64_t page_count = std::max<std::int64_t>(1, (result->total + static_cast<std::int64_t>(kPageSize) - 1) / static_cast<std::int64_t>(kPageSize));
  auto page_url = [&](std::int64_t number) {
    web::QueryParams extra;
    if (number > 1) extra.add("page", std::to_string(number));
    return link_keeping(request.query, "/bibliotheque", [](const std::string& key, const std::string&) { return key == "page"; }, extra);
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
  const std::string total_label = fiche_count_label(result->total);
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
      {"search_notice", search_notice},
      {"ways_on", search_notice.is_object() && search_notice.value("none", false) ? ways_on_view(directory) : json(nullptr)},
      {"map_url", link_keeping(request.query, "/carte", [](const std::string& key, const std::string&) { return key == "page" || key == "tri"; })},
      {"suggestion_url", suggestion.empty() ? std::string() : "/bibliotheque?q=" + web::url_encode(suggestion)},
      {"sorts", sorts},
      {"map_panel", map_panel},
      {"map_attribution", map_ ? map_->departments_attribution() : std::string()},
      {"like_mine", like_mine_view},
      {"like_typed", like_mine.chosen ? like_mine.chosen->name : like_typed},
      {"like_candidates", like_candidates},
      {"has_like_candidates", !like_candidates.empty()},
      {"like_not_found", !like_typed.empty() && !like_mine.chosen && like_candidates.empty()},
      {"pagination", pagination},
  };
  return render(page);
}

}  // namespace vigie::pages
