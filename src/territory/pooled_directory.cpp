#include "territory/pooled_directory.h"

#include "territory/directory.h"

namespace vigie::territory {

namespace {

// Runs `query` on a Directory over a borrowed connection; the pool's error (unavailable) when
// no connection can be had.
template <typename Query>
auto on_connection(store::sqlite::ConnectionPool& pool, Query&& query) -> decltype(query(std::declval<Directory&>())) {
  auto lease = pool.acquire();
  if (!lease.ok()) return lease.error();
  Directory directory(**lease);
  return query(directory);
}

}  // namespace

Result<domain::Organisation> PooledDirectory::find(std::string_view code) {
  return on_connection(pool_, [&](Directory& d) { return d.find(code); });
}

Result<std::vector<domain::Organisation>> PooledDirectory::search(std::string_view query, std::size_t limit) {
  return on_connection(pool_, [&](Directory& d) { return d.search(query, limit); });
}

Result<std::vector<domain::Organisation>> PooledDirectory::closest_names(std::string_view query, std::size_t limit) {
  return on_connection(pool_, [&](Directory& d) { return d.closest_names(query, limit); });
}

Result<std::vector<domain::Organisation>> PooledDirectory::parents(const domain::Organisation& organisation) {
  return on_connection(pool_, [&](Directory& d) { return d.parents(organisation); });
}

Result<std::vector<domain::Organisation>> PooledDirectory::members(const domain::Organisation& organisation) {
  return on_connection(pool_, [&](Directory& d) { return d.members(organisation); });
}

Result<std::map<std::string, std::int64_t>> PooledDirectory::count_by_kind() {
  return on_connection(pool_, [&](Directory& d) { return d.count_by_kind(); });
}

Result<std::vector<store::OrganisationPeer>> PooledDirectory::peers_with_fiches(const domain::Organisation& organisation, std::size_t limit) {
  return on_connection(pool_, [&](Directory& d) { return d.peers_with_fiches(organisation, limit); });
}

}  // namespace vigie::territory
