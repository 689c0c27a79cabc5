#include "store/store.h"

#include <fmt/format.h>

#include "store/postgres/connection.h"
#include "store/postgres/postgres_assessment_store.h"
#include "store/postgres/postgres_audit_log.h"
#include "store/postgres/postgres_directory.h"
#include "store/postgres/postgres_instance.h"
#include "store/postgres/postgres_use_case_store.h"
#include "store/sqlite/audit.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_assessment_store.h"
#include "store/sqlite/sqlite_directory.h"
#include "store/sqlite/sqlite_instance.h"
#include "store/sqlite/sqlite_use_case_store.h"

namespace vigie::store {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// "postgresql://vigie:secret@db.example/vigie" -> "postgresql://vigie@db.example/vigie";
// "host=db dbname=vigie password=secret" -> "host=db dbname=vigie".
std::string without_password(std::string_view address) {
  std::string shown(address);
  if (const std::size_t scheme = shown.find("://"); scheme != std::string::npos) {
    const std::size_t at = shown.find('@', scheme + 3);
    const std::size_t colon = shown.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) shown.erase(colon, at - colon);
    if (const std::size_t query = shown.find('?'); query != std::string::npos) shown.erase(query);
    return shown;
  }
  std::string kept;
  std::size_t start = 0;
  while (start < shown.size()) {
    std::size_t end = shown.find(' ', start);
    if (end == std::string::npos) end = shown.size();
    const std::string_view pair = std::string_view(shown).substr(start, end - start);
    if (!pair.empty() && !starts_with(pair, "password")) {
      if (!kept.empty()) kept += ' ';
      kept += pair;
    }
    start = end + 1;
  }
  return kept;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(StoreLocation location, std::unique_ptr<sqlite::ConnectionPool> pool, const domain::Taxonomies& taxonomies,
              const Clock& clock, AssessmentLimits limits)
      : Store(std::move(location)),
        pool_(std::move(pool)),
        instance_(*pool_),
        use_cases_(*pool_, taxonomies, clock),
        assessments_(*pool_, use_cases_, clock, limits),
        organisations_(*pool_),
        audit_log_(*pool_) {}

  Instance& instance() override { return instance_; }
  UseCaseStore& use_cases() override { return use_cases_; }
  AssessmentStore& assessments() override { return assessments_; }
  OrganisationDirectory& organisations() override { return organisations_; }
  AuditLog& audit_log() override { return audit_log_; }
  Status analyze() override { return pool_->analyze(); }
  PoolUse pool_use() const override { return pool_->use(); }

 private:
  std::unique_ptr<sqlite::ConnectionPool> pool_;
  sqlite::SqliteInstance instance_;
  sqlite::SqliteUseCaseStore use_cases_;
  sqlite::SqliteAssessmentStore assessments_;
  sqlite::SqliteDirectory organisations_;
  sqlite::SqliteAuditLog audit_log_;
};

class PostgresStore final : public Store {
 public:
  PostgresStore(StoreLocation location, std::unique_ptr<postgres::ConnectionPool> pool,
                const domain::Taxonomies& taxonomies, const Clock& clock, AssessmentLimits limits)
      : Store(std::move(location)),
        pool_(std::move(pool)),
        instance_(*pool_),
        use_cases_(*pool_, taxonomies, clock),
        assessments_(*pool_, use_cases_, clock, limits),
        organisations_(*pool_),
        audit_log_(*pool_) {}

  Instance& instance() override { return instance_; }
  UseCaseStore& use_cases() override { return use_cases_; }
  AssessmentStore& assessments() override { return assessments_; }
  OrganisationDirectory& organisations() override { return organisations_; }
  AuditLog& audit_log() override { return audit_log_; }
  Status analyze() override {
    TRY_ASSIGN(auto connection, pool_->acquire());
    return connection->execute("ANALYZE");
  }
  PoolUse pool_use() const override { return pool_->use(); }

 private:
  std::unique_ptr<postgres::ConnectionPool> pool_;
  postgres::PostgresInstance instance_;
  postgres::PostgresUseCaseStore use_cases_;
  postgres::PostgresAssessmentStore assessments_;
  postgres::PostgresDirectory organisations_;
  postgres::PostgresAuditLog audit_log_;
};

}  // namespace

StoreLocation sqlite_location(const std::string& path) {
  return {StoreLocation::Backend::sqlite, path, path};
}

Result<StoreLocation> parse_store_location(std::string_view address) {
  if (starts_with(address, "postgresql://") || starts_with(address, "postgres://") ||
      (address.find('=') != std::string_view::npos && address.find("://") == std::string_view::npos)) {
    return StoreLocation{StoreLocation::Backend::postgres, std::string(address), without_password(address)};
  }
  for (std::string_view prefix : {"sqlite://", "sqlite:"}) {
    if (starts_with(address, prefix) && address.size() > prefix.size()) {
      return sqlite_location(std::string(address.substr(prefix.size())));
    }
  }
  return Error::invalid(fmt::format(
      "adresse de base de données non reconnue « {} »\u00A0: attendu postgresql://utilisateur@serveur/base (PostgreSQL) "
      "ou sqlite:chemin/vers/vigie.db (SQLite)",
      without_password(address)));
}

Result<std::unique_ptr<Store>> Store::open(const StoreLocation& location, const domain::Taxonomies& taxonomies,
                                           const Clock& clock, AssessmentLimits assessment_limits) {
  if (location.backend == StoreLocation::Backend::sqlite) {
    auto pool = sqlite::ConnectionPool::open(location.target);
    if (!pool.ok()) return pool.error();
    return std::unique_ptr<Store>(
        new SqliteStore(location, std::move(pool).value(), taxonomies, clock, assessment_limits));
  }
  auto pool = postgres::ConnectionPool::open(location.target);
  if (!pool.ok()) {
    Error error = std::move(pool).error();
    error.message = fmt::format("{} : {}", location.display, error.message);
    return error;
  }
  return std::unique_ptr<Store>(new PostgresStore(location, std::move(pool).value(), taxonomies, clock, assessment_limits));
}

}  // namespace vigie::store
