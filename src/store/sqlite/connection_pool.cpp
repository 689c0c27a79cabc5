#include "store/sqlite/connection_pool.h"

#include "store/sqlite/migrations.h"

namespace vigie::store::sqlite {

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::open(std::string path) {
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(std::move(path)));
  TRY_ASSIGN(auto db, Database::open(pool->path_));
  TRY_STATUS(migrate(*db));
  pool->keep(std::move(db));
  return pool;
}

Status ConnectionPool::analyze() {
  TRY_ASSIGN(auto db, acquire());
  return db->execute("ANALYZE");
}

}  // namespace vigie::store::sqlite
