// UseCaseStore on PostgreSQL. See use_case_store.h for the contract, use_case_backend.h for
// what is shared with the SQLite store (the rules of a write are applied there, once).
// Thread-safe: every call borrows its own connection from the pool.
#pragma once

#include "core/clock.h"
#include "domain/taxonomy.h"
#include "store/postgres/connection.h"
#include "store/use_case_backend.h"
#include "store/use_case_store.h"

namespace vigie::store::postgres {

class PostgresUseCaseStore final : public UseCaseStore {
 public:
  // `pool`, `taxonomies` and `clock` must outlive the store.
  PostgresUseCaseStore(ConnectionPool& pool, const domain::Taxonomies& taxonomies, const Clock& clock)
      : pool_(pool), taxonomies_(taxonomies), clock_(clock) {}

  Result<domain::UseCase> get(domain::UseCaseId id) override;
  Result<UseCasePage> list(const UseCaseListQuery& query) override;
  Result<domain::UseCase> create(domain::UseCase use_case, const Actor& actor,
                                 Timestamps timestamps = Timestamps::now) override;
  Result<domain::UseCase> update(domain::UseCase use_case, std::int64_t expected_revision, const Actor& actor) override;
  Result<domain::UseCase> archive(domain::UseCaseId id, std::int64_t expected_revision, const Actor& actor) override;
  Result<std::vector<domain::UseCaseId>> import_batch(std::vector<ImportItem> items, const Actor& actor,
                                                      Timestamps timestamps, ImportMode mode) override;
  Result<std::vector<domain::UseCase>> similar(domain::UseCaseId id, std::size_t limit) override;
  Result<std::vector<Deployment>> deployments(domain::UseCaseId id, std::size_t limit) override;
  Result<std::vector<std::pair<std::string, std::int64_t>>> provider_names(std::string_view prefix, std::size_t limit) override;
  Result<std::vector<domain::UseCase>> by_owners(const std::vector<std::string>& owners, domain::UseCaseId except,
                                                 std::size_t limit) override;
  Result<KeyFigures> key_figures() override;
  Result<std::vector<domain::UseCase>> cards(const std::vector<domain::UseCaseId>& ids) override;
  Status add_views(const std::map<domain::UseCaseId, std::int64_t>& views) override;
  Result<std::vector<domain::UseCase>> most_viewed(std::size_t limit) override;
  Result<std::vector<Revision>> revisions(domain::UseCaseId id) override;
  Result<std::int64_t> last_change() override;
  Result<std::vector<Change>> changes_after(std::int64_t sequence, std::size_t limit) override;

  const domain::Taxonomies& taxonomies() const { return taxonomies_; }

 private:
  ConnectionPool& pool_;
  const domain::Taxonomies& taxonomies_;
  const Clock& clock_;
};

// The fiches' rows inside the open transaction on `connection`, for a write that spans stores
// (store/assessment_backend.h).
std::unique_ptr<UseCaseTables> use_case_tables(Connection& connection);

}  // namespace vigie::store::postgres
