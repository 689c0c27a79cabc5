#include "store/sqlite/connection_pool.h"

#include "store/sqlite/migrations.h"

namespace vigie::store::sqlite {

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::open(std::string path) {
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(std::move(path)));
  TRY_ASSIGN(auto db, Database::open(pool->path_));
  TRY_STATUS(migrate(*db));
  pool->idle_.push_back(std::move(db));
  return pool;
}

Result<ConnectionPool::Lease> ConnectionPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(db));
    }
  }
  TRY_ASSIGN(auto db, Database::open(path_));
  return Lease(*this, std::move(db));
}

Status ConnectionPool::analyze() {
  TRY_ASSIGN(auto db, acquire());
  return db->execute("ANALYZE");
}

void ConnectionPool::release(std::unique_ptr<Database> db) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(db));
}

}  // namespace vigie::store::sqlite
