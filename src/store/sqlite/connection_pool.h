// Connections to one SQLite file, lent to one thread at a time. Readers never wait for the
// writer (WAL); writers are serialised by SQLite's lock with a busy timeout.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/sqlite/database.h"

namespace vigie::store::sqlite {

class ConnectionPool {
 public:
  // Opens one connection to check the file and migrates the schema.
  static Result<std::unique_ptr<ConnectionPool>> open(std::string path);

  // A connection returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Database> db) : pool_(&pool), db_(std::move(db)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() { if (db_) pool_->release(std::move(db_)); }
    Database& operator*() { return *db_; }
    Database* operator->() { return db_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Database> db_;
  };

  // Takes an idle connection or opens a new one. Thread-safe.
  Result<Lease> acquire();
  const std::string& path() const { return path_; }
  // Refreshes the query planner's statistics (ANALYZE). Call after bulk loads: without
  // statistics SQLite walks the ordering index instead of the few rows a filter selects.
  Status analyze();

 private:
  explicit ConnectionPool(std::string path) : path_(std::move(path)) {}
  void release(std::unique_ptr<Database> db);

  const std::string path_;
  std::mutex mutex_;  // guards idle_
  std::vector<std::unique_ptr<Database>> idle_;
};

}  // namespace vigie::store::sqlite
