// The SQLite queries behind store::OrganisationDirectory, on one connection: the contract of
// each method is written there. territory::PooledDirectory (pooled_directory.h) is the
// thread-safe directory the site uses; this class serves it and the referential's loader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/organisation.h"
#include "store/organisation_directory.h"
#include "store/sqlite/database.h"

namespace vigie::territory {

// Thread-safety: like the Database it reads, a Directory is used by one thread at a time.
class Directory {
 public:
  static constexpr std::size_t kMaxQueryBytes = store::OrganisationDirectory::kMaxQueryBytes;
  static constexpr std::size_t kMaxResults = store::OrganisationDirectory::kMaxResults;
  using Peer = store::OrganisationPeer;

  // `db` is migrated and outlives the Directory, which does not own it.
  explicit Directory(store::sqlite::Database& db) : db_(db) {}

  Result<domain::Organisation> find(std::string_view code);
  Result<std::vector<domain::Organisation>> search(std::string_view query, std::size_t limit);
  Result<std::vector<domain::Organisation>> closest_names(std::string_view query, std::size_t limit);
  Result<std::vector<domain::Organisation>> parents(const domain::Organisation& organisation);
  Result<std::vector<domain::Organisation>> members(const domain::Organisation& organisation);
  Result<std::map<std::string, std::int64_t>> count_by_kind();
  Result<std::vector<Peer>> peers_with_fiches(const domain::Organisation& organisation, std::size_t limit);

 private:
  // The codes of the best `limit` organisations whose key or word key starts with one of
  // `prefixes` (at most three), in search() order; `key` is the whole query's key.
  Result<std::vector<std::string>> ranked_codes(const std::string& key, const std::vector<std::string>& prefixes,
                                                std::size_t limit);

  store::sqlite::Database& db_;
};

}  // namespace vigie::territory
