// store::OrganisationDirectory on a pool of SQLite connections: each call borrows a connection
// for its duration; the rules are organisation_backend.h's, the SQL is here.
#pragma once

#include "store/organisation_directory.h"
#include "store/sqlite/connection_pool.h"

namespace vigie::store::sqlite {

class SqliteDirectory final : public OrganisationDirectory {
 public:
  // `pool` outlives the directory.
  explicit SqliteDirectory(ConnectionPool& pool) : pool_(pool) {}

  Result<domain::Organisation> find(std::string_view code) override;
  Result<std::vector<domain::Organisation>> search(std::string_view query, std::size_t limit) override;
  Result<std::vector<domain::Organisation>> closest_names(std::string_view query, std::size_t limit) override;
  Result<std::vector<domain::Organisation>> parents(const domain::Organisation& organisation) override;
  Result<std::vector<domain::Organisation>> members(const domain::Organisation& organisation) override;
  Result<std::map<std::string, std::int64_t>> count_by_kind() override;
  Result<std::vector<OrganisationPeer>> peers_with_fiches(const domain::Organisation& organisation, std::size_t limit) override;
  Result<std::int64_t> write_referential(std::string_view source, std::string_view version,
                                         const std::vector<domain::Organisation>& organisations,
                                         std::string_view now) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace vigie::store::sqlite
