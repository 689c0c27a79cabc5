// The library (/bibliotheque): ranked search with facets, or the latest fiches, 20 per page.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/text.h"
#include "pages/format.h"
#include "pages/site_support.h"
#include "search/analysis.h"

namespace vigie::pages {

using domain::UseCase;
using nlohmann::json;
using web::Request;
using web::Response;
namespace tx = domain::taxonomy;

namespace {

constexpr std::size_t kPageSize = 20;

// "Communes" -> "communes", for the middle of a sentence.
std::string lower_first(std::string label) {
  if (!label.empty() && label[0] >= 'A' && label[0] <= 'Z') label[0] = static_cast<char>(label[0] - 'A' + 'a');
  return label;
}

// « quoted », « words » for a sentence.
std::string quoted_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ", ") + std::string("« ") + word + " »";
  return out;
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
  store::OrganisationDirectory& directory = requests.organisations();
  auto found = directory.search(typed, 8);
  if (found.ok() && found->empty()) found = directory.closest_names(typed, 8);  // a typo in the name
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

// "Collectivités comme la mienne": a choice from the box (`choix`) becomes the filters on the
// authority's kind and size band, in a shareable URL (the redirect); the panel then shows its
// closest peers, or the candidates when the name typed leaves several.
struct LikeMinePanel {
  std::optional<Response> redirect;
  json view = nullptr;
  json candidates = json::array();
  std::string typed;   // what the box shows
  bool not_found = false;
};

LikeMinePanel like_mine_panel(const Request& request, RequestDirectory& directory, const domain::Taxonomies& taxonomies) {
  LikeMinePanel panel;
  const std::string typed(text::trim(request.query.get("comme")));
  panel.typed = typed;
  if (typed.empty()) return panel;
  const AuthorityChoice choice = choose_authority(typed, directory);
  if (choice.chosen && request.query.has("choix")) {
    panel.redirect = Response::redirect(link_keeping(request.query, "/bibliotheque", [](const std::string& key, const std::string&) {
                                          return key == "comme" || key == "choix" || key == "type" || key == "taille" || key == "page" ||
                                                 key == "collectivite";
                                        }, like_mine_params(*choice.chosen)), 303);
    return panel;
  }
  if (choice.chosen) {
    const auto* kind = taxonomies.get(tx::kOrganisationKinds).find(choice.chosen->kind);
    panel.typed = choice.chosen->name;
    panel.view = {{"name", choice.chosen->name}, {"code", choice.chosen->code}, {"url", organisation_path(choice.chosen->code)},
                  {"kind_plural", kind ? lower_first(kind->column("libelle-pluriel")) : std::string()},
                  {"size_band", domain::size_band_label(domain::size_band(choice.chosen->population))},
                  {"peers", peers_view(directory, *choice.chosen, taxonomies)},
                  {"stop_url", link_keeping(request.query, "/bibliotheque", [](const std::string& key, const std::string&) {
                     return key == "comme" || key == "choix" || key == "type" || key == "taille" || key == "page";
                   })}};
    panel.view["has_peers"] = !panel.view["peers"].empty();
    return panel;
  }
  for (const auto& candidate : choice.candidates) {
    web::QueryParams chosen;
    chosen.add("comme", candidate.code);
    chosen.add("choix", "1");
    json item = organisation_item(candidate, taxonomies);
    item["choose_url"] = link_keeping(request.query, "/bibliotheque", [](const std::string& key, const std::string&) {
      return key == "comme" || key == "choix" || key == "page";
    }, chosen);
    panel.candidates.push_back(std::move(item));
  }
  panel.not_found = panel.candidates.empty();
  return panel;
}

// The link removing one selected value from the current search.
std::string url_without(const web::QueryParams& query, const std::string& param, const std::string& value) {
  return link_keeping(query, "/bibliotheque", [&](const std::string& key, const std::string& item) { return (key == param && item == value) || key == "page"; });
}

// Page links keeping every parameter but the page number; null with a single page.
json pagination_view(const web::QueryParams& query, std::int64_t total, std::int64_t page_number) {
  const auto size = static_cast<std::int64_t>(kPageSize);
  const std::int64_t page_count = std::max<std::int64_t>(1, (total + size - 1) / size);
  if (page_count <= 1) return nullptr;
  auto page_url = [&](std::int64_t number) {
    web::QueryParams extra;
    if (number > 1) extra.add("page", std::to_string(number));
    return link_keeping(query, "/bibliotheque", [](const std::string& key, const std::string&) { return key == "page"; }, extra);
  };
  json pages = json::array();
  for (std::int64_t n = 1; n <= page_count; ++n) {
    const bool near = n == 1 || n == page_count || (n >= page_number - 2 && n <= page_number + 2);
    if (!near) {
      if (pages.empty() || !pages.back().value("gap", false)) pages.push_back({{"gap", true}, {"current", false}});
      continue;
    }
    pages.push_back({{"number", n}, {"url", page_url(n)}, {"current", n == page_number}, {"gap", false}});
  }
  return {{"pages", pages},
          {"previous", page_number > 1 ? page_url(page_number - 1) : std::string()},
          {"next", page_number < page_count ? page_url(page_number + 1) : std::string()},
          {"count", page_count}};
}

json sorts_view(bool has_words, const std::string& sort) {
  json sorts = json::array();
  if (has_words) sorts.push_back({{"code", "pertinence"}, {"label", "Pertinence"}, {"selected", sort != "recent" && sort != "titre"}});
  sorts.push_back({{"code", "recent"}, {"label", "Les plus récentes"}, {"selected", sort == "recent"}});
  sorts.push_back({{"code", "titre"}, {"label", "Titre (A → Z)"}, {"selected", sort == "titre"}});
  return sorts;
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

// Ways on from a search that found nothing relevant: the domains, the map, the most consulted
// fiches.
json Site::ways_on_view(RequestDirectory& directory) const {
  json domains = json::array();
  for (const auto& term : taxonomies_.get(tx::kDomains).terms()) {
    domains.push_back({{"label", term.label}, {"url", "/bibliotheque?domaine=" + web::url_encode(term.code)}});
  }
  // The most consulted fiches; on a new site, where none was consulted yet, the latest.
  constexpr std::size_t kShown = 5;
  auto fiches = use_cases_.most_viewed(kShown);
  const bool most_viewed = fiches.ok() && !fiches->empty();
  if (!most_viewed) {
    store::UseCaseListQuery latest_query;
    latest_query.limit = kShown;
    if (auto listed = use_cases_.list(latest_query); listed.ok()) fiches = std::move(listed->items);
  }
  json cards = json::array();
  if (fiches.ok()) {
    for (const auto& u : *fiches) cards.push_back(card_view(u, taxonomies_, directory.lookup()));
  }
  return {{"domains", domains},
          {"fiches", cards},
          {"fiches_title", most_viewed ? "Les fiches les plus consultées" : "Les dernières fiches publiées"}};
}

// The fiches of the page: ranked full-text search with facet counts when the index is there,
// otherwise the store's listing (which matches words with SQL).
Result<Site::LibraryResults> Site::library_results(search::SearchRequest search_request, const web::QueryParams& query,
                                                   const std::string& sort, std::int64_t page_number) const {
  LibraryResults results;
  const std::size_t offset = static_cast<std::size_t>(page_number - 1) * kPageSize;
  if (index_ && index_->sequence() >= 0) {
    search_request.sort = sort == "titre" ? search::SearchSort::title : sort == "recent" ? search::SearchSort::recent : search::SearchSort::relevance;
    search_request.offset = offset;
    search_request.limit = kPageSize;
    search_request.percentages = false;  // not shown
    TRY_ASSIGN(search::SearchResults found, index_->search(search_request));
    results.page.total = found.total;
    results.notice = search_notice_view(found, query);
    std::vector<domain::UseCaseId> ids;
    for (const auto& hit : found.hits) ids.push_back(hit.id);
    TRY_ASSIGN(results.page.items, use_cases_.cards(ids));
    results.found = std::move(found);
    return results;
  }
  store::UseCaseListQuery listing;
  listing.filter = search_request.filter;
  listing.filter.text = search_request.text;
  listing.sort = sort == "titre" ? store::UseCaseSort::title : store::UseCaseSort::recent;
  listing.limit = kPageSize;
  listing.offset = offset;
  TRY_ASSIGN(results.page, use_cases_.list(listing));
  return results;
}

// The name of région or département `code` ("" when none has it), kept once read: the facets
// of every library page name them.
Site::PlaceName Site::place_name(const std::string& code, RequestDirectory& directory) const {
  {
    std::lock_guard lock(place_names_mutex_);
    if (auto known = place_names_.find(code); known != place_names_.end()) return known->second;
  }
  auto found = directory.find(code);
  if (!found && directory.unavailable()) return {};  // not known now; not remembered either
  PlaceName place;
  if (found) place = {found->name, text::fold(found->name)};
  std::lock_guard lock(place_names_mutex_);
  place_names_.emplace(code, place);
  return place;
}

// The values one can pick for library filter `filter`, with their labels: from its taxonomy,
// the referential (régions and départements counted) or a fixed list.
std::vector<std::pair<std::string, std::string>> Site::facet_values(const search::LibraryFilter& filter, const FacetCounts& counts,
                                                                    RequestDirectory& directory) const {
  std::vector<std::pair<std::string, std::string>> values;
  const std::string_view param = filter.param;
  if (param == "taille") {
    for (auto band : {domain::SizeBand::under_3500, domain::SizeBand::from_3500_to_20000, domain::SizeBand::from_20000_to_100000,
                      domain::SizeBand::over_100000}) {
      values.emplace_back(domain::size_band_code(band), domain::size_band_label(band));
    }
  } else if (param == "region" || param == "departement") {
    const std::string code_prefix = param == "region" ? "region-" : "departement-";
    std::vector<std::pair<std::string, std::pair<std::string, std::string>>> sorted;  // sort key, (code, name)
    if (auto counted = counts.find(filter.param); counted != counts.end()) {
      for (const auto& [code, count] : counted->second) {
        PlaceName place = place_name(code_prefix + code, directory);
        if (place.name.empty()) place = place_name("com-" + code, directory);
        if (place.name.empty()) place = {code, code};
        sorted.emplace_back(std::move(place.sort_key), std::pair{code, std::move(place.name)});
      }
    }
    std::sort(sorted.begin(), sorted.end());
    for (auto& [key, value] : sorted) values.push_back(std::move(value));
  } else if (param == "libre") {
    values = {{"oui", "Publié (logiciel libre)"}, {"non", "Non publié"}};
  } else if (param == "evaluation-ai-act") {
    if (options_.assessments) {
      for (const auto& outcome : options_.assessments->classification.outcomes()) values.emplace_back(outcome.id, outcome.label);
    }
  } else if (param == "niveau-impact") {
    if (options_.assessments) {
      for (const auto& level : options_.assessments->impact.levels()) values.emplace_back(level.id, "Niveau " + level.id + " — " + level.label);
      values.emplace_back("bloque", "Système interdit");
    }
  } else if (filter.taxonomy) {
    for (const auto& term : taxonomies_.get(filter.taxonomy).terms()) {
      if (param == "type" && std::none_of(std::begin(kFilterableKinds), std::end(kFilterableKinds), [&](std::string_view kind) { return term.code == kind; })) {
        continue;
      }
      values.emplace_back(term.code, term.label);
    }
  }
  return values;
}

// Every facet of the library with its options, counts and selection, in the order of
// search::kLibraryFilters; `active` receives the selected values with a link removing each.
// Without counts (no index), only the filters the store applies are offered.
json Site::facets_view(const web::QueryParams& query, const FacetCounts& counts, RequestDirectory& directory, json& active) const {
  json facets = json::array();
  for (const auto& filter : search::kLibraryFilters) {
    if (counts.empty() && !filter.store_member) continue;
    const std::string_view param = filter.param;
    // Régions, départements and assessment results show only the values that occur.
    const bool hide_empty = param == "region" || param == "departement" || param == "evaluation-ai-act" || param == "niveau-impact";
    const auto selected = query.all(filter.param);
    const auto counted = counts.find(filter.param);
    json options = json::array();
    for (const auto& [code, label] : facet_values(filter, counts, directory)) {
      const bool checked = std::find(selected.begin(), selected.end(), code) != selected.end();
      json option{{"id", fmt::format("f-{}-{}", filter.param, code)}, {"param", filter.param}, {"code", code}, {"label", label}, {"checked", checked}};
      if (counted != counts.end()) {
        const auto count = counted->second.find(code);
        const std::int64_t n = count == counted->second.end() ? 0 : count->second;
        if (hide_empty && n == 0 && !checked) continue;
        option["count"] = text::group_digits(n);
      }
      options.push_back(std::move(option));
      if (checked) active.push_back({{"label", fmt::format("{} : {}", filter.label, label)}, {"remove_url", url_without(query, filter.param, code)}});
    }
    if (options.empty()) continue;  // nothing to choose from (e.g. no fiche assessed yet)
    facets.push_back({{"label", filter.label}, {"options", std::move(options)}, {"open", !selected.empty()},
                      {"selected_count", selected.empty() ? std::string() : std::to_string(selected.size())}});
  }
  return facets;
}

Response Site::library(const Request& request) {
  RequestDirectory directory(organisations_);
  LikeMinePanel like_mine = like_mine_panel(request, directory, taxonomies_);
  if (like_mine.redirect) return std::move(*like_mine.redirect);

  const search::SearchRequest search_request = library_search_request(request.query);
  const std::string& words = search_request.text;
  const std::string sort = request.query.get("tri", words.empty() ? "recent" : "pertinence");
  const std::int64_t page_number = std::min<std::int64_t>(parse_positive(request.query.get("page", "1")).value_or(1), 100000);
  auto results = library_results(search_request, request.query, sort, page_number);
  if (!results.ok()) return error_response(results.error());

  json items = json::array();
  for (const auto& u : results->page.items) {
    json card = card_view(u, taxonomies_, directory.lookup());
    if (!results->found.stems.empty()) card["snippet_html"] = search::highlight_html(u.summary, results->found.stems);
    items.push_back(std::move(card));
  }
  json active = json::array();
  json facets = facets_view(request.query, results->found.facets, directory, active);
  if (!search_request.filter.owner.empty()) {
    auto owner = directory.find(search_request.filter.owner);
    active.push_back({{"label", "Collectivité : " + (owner ? owner->name : search_request.filter.owner)},
                      {"remove_url", url_without(request.query, "collectivite", search_request.filter.owner)}});
  }
  if (!words.empty()) active.push_back({{"label", "Mots-clés : « " + words + " »"}, {"remove_url", url_without(request.query, "q", request.query.get("q"))}});

  // The map panel: the same search counted by département (disjunctive, like the facet).
  std::string map_panel;
  if (map_ && results->found.facets.contains("departement")) {
    LibraryMapOptions map_options;
    map_options.compact = true;
    map_options.id_prefix = "panneau-carte-";
    map_options.rows = false;
    map_panel = library_map(*map_, request.query, results->found.facets.at("departement"), map_options).svg;
  }

  json pagination = pagination_view(request.query, results->page.total, page_number);
  const std::string total_label = pagination.is_null() ? fiche_count_label(results->page.total)
                                                       : fmt::format("{} — page {} sur {}", fiche_count_label(results->page.total), page_number,
                                                                     pagination["count"].get<std::int64_t>());
  const bool nothing_relevant = results->notice.is_object() && results->notice.value("none", false);
  const std::string& suggestion = results->found.suggestion;
  Page page;
  page.title = page_number > 1 ? fmt::format("Bibliothèque — page {}", page_number) : std::string("Bibliothèque");
  page.template_name = "library";
  page.nav = "library";
  page.canonical_path = "/bibliotheque";
  page.breadcrumbs = json::array({{{"label", "Accueil"}, {"url", "/"}}, {{"label", "Bibliothèque"}}});
  page.view = {
      {"items", std::move(items)},
      {"total_label", total_label},
      {"facets", std::move(facets)},
      {"has_filters", !active.empty()},
      {"active_filters", std::move(active)},
      {"query", words},
      {"suggestion", suggestion},
      {"suggestion_url", suggestion.empty() ? std::string() : "/bibliotheque?q=" + web::url_encode(suggestion)},
      {"search_notice", std::move(results->notice)},
      {"ways_on", nothing_relevant ? ways_on_view(directory) : json(nullptr)},
      {"map_url", link_keeping(request.query, "/carte", [](const std::string& key, const std::string&) { return key == "page" || key == "tri"; })},
      {"sorts", sorts_view(!words.empty(), sort)},
      {"map_panel", std::move(map_panel)},
      {"map_attribution", map_ ? map_->departments_attribution() : std::string()},
      {"like_mine", std::move(like_mine.view)},
      {"like_typed", like_mine.typed},
      {"has_like_candidates", !like_mine.candidates.empty()},
      {"like_candidates", std::move(like_mine.candidates)},
      {"like_not_found", like_mine.not_found},
      {"pagination", std::move(pagination)},
  };
  return render(std::move(page));
}

}  // namespace vigie::pages
