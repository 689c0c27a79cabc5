// store::Instance on a pool of SQLite connections (table referential_sources).
#pragma once

#include "store/instance.h"
#include "store/sqlite/connection_pool.h"

namespace vigie::store::sqlite {

class SqliteInstance final : public Instance {
 public:
  // `pool` outlives the instance.
  explicit SqliteInstance(ConnectionPool& pool) : pool_(pool) {}

  Status ping() override;
  Result<std::string> source_version(std::string_view source) override;
  Status record_source_version(std::string_view source, std::string_view version, std::string_view loaded_at) override;
  Result<std::string> shared_secret(std::string_view name, std::string_view candidate, std::string_view now) override;
  Status update_rate_buckets(const std::vector<std::string>& keys, const RateBucketUpdate& update,
                             std::int64_t forget_before_ms) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace vigie::store::sqlite
