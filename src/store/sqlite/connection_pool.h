// Connections to one SQLite file, lent to one thread at a time. Readers never wait for the
// writer (WAL); writers are serialised by SQLite's lock with a busy timeout.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/lending_pool.h"
#include "store/sqlite/database.h"

namespace vigie::store::sqlite {

class ConnectionPool final : public LendingPool<Database> {
 public:
  // Opens one connection to check the file and migrates the schema.
  static Result<std::unique_ptr<ConnectionPool>> open(std::string path);

  const std::string& path() const { return path_; }
  // Refreshes the query planner's statistics (ANALYZE). Call after bulk loads: without
  // statistics SQLite walks the ordering index instead of the few rows a filter selects.
  Status analyze();

 private:
  explicit ConnectionPool(std::string path) : path_(std::move(path)) {}
  Result<std::unique_ptr<Database>> open_connection() override { return Database::open(path_); }

  const std::string path_;
};

}  // namespace vigie::store::sqlite
