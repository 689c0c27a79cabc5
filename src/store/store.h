// Everything the application persists, on the backend its configuration names: SQLite, a file
// (the default: `make run` needs no server), or PostgreSQL, a server several Vigie nodes share.
// The commands open one Store and hand its interfaces (store/*.h) to the pages, the API and the
// search; nothing above the store names a backend.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "domain/taxonomy.h"
#include "store/assessment_store.h"
#include "store/audit_log.h"
#include "store/instance.h"
#include "store/lending_pool.h"
#include "store/organisation_directory.h"
#include "store/use_case_store.h"

namespace vigie::store {

// Where a store lives.
struct StoreLocation {
  enum class Backend { sqlite, postgres };
  Backend backend = Backend::sqlite;
  // SQLite: the database file; PostgreSQL: the libpq connection string (URL or key=value).
  std::string target;
  // For messages and logs: the file, or the server and database without the password.
  std::string display;
};

// Reads a database address:
// - "postgresql://user@host:port/db?…" or "postgres://…" (libpq's URL), or libpq's key=value
//   form ("host=/run/postgresql dbname=vigie"): PostgreSQL;
// - "sqlite:PATH" or "sqlite://PATH": the SQLite file PATH.
// Fails with `invalid`, in French, naming what is expected.
Result<StoreLocation> parse_store_location(std::string_view address);

// The SQLite file `path`.
StoreLocation sqlite_location(const std::string& path);

// Thread-safe: its interfaces are.
class Store {
 public:
  // Opens (SQLite: creates) the store at `location` and migrates its schema. `taxonomies` and
  // `clock` outlive the store. Fails with `unavailable` (server down, file unwritable) or the
  // migration's error, in French, naming the location.
  static Result<std::unique_ptr<Store>> open(const StoreLocation& location, const domain::Taxonomies& taxonomies,
                                             const Clock& clock, AssessmentLimits assessment_limits = {});
  virtual ~Store() = default;

  virtual Instance& instance() = 0;
  virtual UseCaseStore& use_cases() = 0;
  virtual AssessmentStore& assessments() = 0;
  virtual OrganisationDirectory& organisations() = 0;
  virtual AuditLog& audit_log() = 0;
  // Refreshes the query planner's statistics (ANALYZE), after a large load.
  virtual Status analyze() = 0;
  // The connections of this process to the database, now.
  virtual PoolUse pool_use() const = 0;

  const StoreLocation& location() const { return location_; }

 protected:
  explicit Store(StoreLocation location) : location_(std::move(location)) {}

 private:
  const StoreLocation location_;
};

}  // namespace vigie::store
