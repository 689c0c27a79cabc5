// store::OrganisationDirectory on a pool of SQLite connections: each call borrows a connection
// for its duration and runs territory::Directory's queries on it.
#pragma once

#include "store/organisation_directory.h"
#include "store/sqlite/connection_pool.h"

namespace vigie::territory {

class PooledDirectory final : public store::OrganisationDirectory {
 public:
  // `pool` outlives the directory.
  explicit PooledDirectory(store::sqlite::ConnectionPool& pool) : pool_(pool) {}

  Result<domain::Organisation> find(std::string_view code) override;
  Result<std::vector<domain::Organisation>> search(std::string_view query, std::size_t limit) override;
  Result<std::vector<domain::Organisation>> closest_names(std::string_view query, std::size_t limit) override;
  Result<std::vector<domain::Organisation>> parents(const domain::Organisation& organisation) override;
  Result<std::vector<domain::Organisation>> members(const domain::Organisation& organisation) override;
  Result<std::map<std::string, std::int64_t>> count_by_kind() override;
  Result<std::vector<store::OrganisationPeer>> peers_with_fiches(const domain::Organisation& organisation, std::size_t limit) override;

 private:
  store::sqlite::ConnectionPool& pool_;
};

}  // namespace vigie::territory
