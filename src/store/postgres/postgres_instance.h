// store::Instance on a pool of PostgreSQL connections (table referential_sources).
#pragma once

#include "store/instance.h"
#include "store/postgres/connection.h"

namespace vigie::store::postgres {

class PostgresInstance final : public Instance {
 public:
  // `pool` outlives the instance.
  explicit PostgresInstance(ConnectionPool& pool) : pool_(pool) {}

  Status ping() override;
  Result<std::string> source_version(std::string_view source) override;
  Status record_source_version(std::string_view source, std::string_view version, std::string_view loaded_at) override;
  Result<std::string> shared_secret(std::string_view name, std::string_view candidate, std::string_view now) override;
  Status update_rate_buckets(const std::vector<std::string>& keys, const RateBucketUpdate& update,
                             std::int64_t forget_before_ms) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace vigie::store::postgres
