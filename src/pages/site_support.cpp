#include "pages/site_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>

#include "core/text.h"
#include "pages/format.h"

namespace vigie::pages {

std::optional<domain::Organisation> RequestDirectory::find(const std::string& code) {
  if (auto known = found_.find(code); known != found_.end()) return known->second;
  auto found = organisations_.find(code);
  if (!found.ok()) {
    if (found.error().kind != ErrorKind::not_found) {
      unavailable_ = true;
      return std::nullopt;  // not remembered: the next lookup may succeed
    }
    found_.emplace(code, std::nullopt);
    return std::nullopt;
  }
  return found_.emplace(code, std::move(found).value()).first->second;
}

search::SearchRequest library_search_request(const web::QueryParams& query) {
  search::SearchRequest request;
  request.text = std::string(text::trim(query.get("q")));
  for (const auto& filter : search::kLibraryFilters) search::select_filter(request, filter.param, query.all(filter.param));
  request.filter.owner = query.get("collectivite");
  request.correct_spelling = query.get("corriger") != "non";
  return request;
}

std::optional<std::int64_t> parse_positive(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::optional<domain::UseCaseId> id_from_slug(std::string_view id_and_slug) {
  const auto dash = id_and_slug.find('-');
  return parse_positive(id_and_slug.substr(0, dash));
}

std::string link_keeping(const web::QueryParams& query, const std::string& path, const ParamPredicate& drop,
                         const web::QueryParams& extra) {
  web::QueryParams kept;
  for (const auto& [key, value] : query.items()) {
    if (!value.empty() && !drop(key, value)) kept.add(key, value);
  }
  for (const auto& [key, value] : extra.items()) kept.add(key, value);
  const std::string encoded = kept.encode();
  return encoded.empty() ? path : path + "?" + encoded;
}

nlohmann::json organisation_item(const domain::Organisation& organisation, const domain::Taxonomies& taxonomies) {
  return {{"name", organisation.name}, {"url", organisation_path(organisation.code)},
          {"kind_label", taxonomies.get(domain::taxonomy::kOrganisationKinds).label(organisation.kind)},
          {"population", french_population(organisation.population)}, {"department_code", organisation.department_code}};
}

nlohmann::json peers_view(RequestDirectory& directory, const domain::Organisation& organisation, const domain::Taxonomies& taxonomies) {
  nlohmann::json peers = nlohmann::json::array();
  if (auto found = directory.organisations().peers_with_fiches(organisation, 8); found.ok()) {
    for (const auto& peer : *found) {
      nlohmann::json item = organisation_item(peer.organisation, taxonomies);
      item["fiche_count"] = fiche_count_label(peer.fiche_count);
      item["fiches_url"] = "/bibliotheque?collectivite=" + web::url_encode(peer.organisation.code);
      peers.push_back(std::move(item));
    }
  }
  return peers;
}

web::QueryParams like_mine_params(const domain::Organisation& organisation) {
  web::QueryParams params;
  params.add("comme", organisation.code);
  if (std::find(std::begin(kFilterableKinds), std::end(kFilterableKinds), std::string_view(organisation.kind)) != std::end(kFilterableKinds)) {
    params.add("type", organisation.kind);
  }
  if (const auto band = domain::size_band(organisation.population); band != domain::SizeBand::unknown) {
    params.add("taille", domain::size_band_code(band));
  }
  return params;
}

std::string fiche_count_label(std::int64_t count, const std::string& none) {
  if (count == 0) return none;
  if (count == 1) return "1 fiche";
  return fmt::format("{} fiches", text::group_digits(count));
}

}  // namespace vigie::pages
