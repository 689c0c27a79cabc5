#include "pages/site_support.h"

#include <fmt/format.h>

#include <charconv>
#include <iterator>

#include "core/text.h"
#include "territory/directory.h"

namespace vigie::pages {

namespace {

// Filters only the search index knows (search::SearchRequest::index_filters).
constexpr const char* kIndexFilterParams[] = {"taille", "region", "departement", "categorie-ai-act", "fournisseur", "libre"};

}  // namespace

RequestDirectory::RequestDirectory(store::sqlite::ConnectionPool& pool) {
  auto lease = pool.acquire();
  if (lease.ok()) lease_.emplace(std::move(lease).value());
}

std::optional<domain::Organisation> RequestDirectory::find(const std::string& code) {
  if (!lease_) return std::nullopt;
  territory::Directory directory(**lease_);
  auto found = directory.find(code);
  if (!found.ok()) return std::nullopt;
  return std::move(found).value();
}

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

std::string fiche_count_label(std::int64_t count, const std::string& none) {
  if (count == 0) return none;
  if (count == 1) return "1 fiche";
  return fmt::format("{} fiches", text::group_digits(count));
}

}  // namespace vigie::pages
