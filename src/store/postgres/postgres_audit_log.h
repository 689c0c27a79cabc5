// store::AuditLog on PostgreSQL (the entries are appended by each store's writes).
#pragma once

#include "store/audit_log.h"
#include "store/postgres/connection.h"

namespace vigie::store::postgres {

class PostgresAuditLog final : public AuditLog {
 public:
  // `pool` outlives the log.
  explicit PostgresAuditLog(ConnectionPool& pool) : pool_(pool) {}
  Result<std::vector<AuditEntry>> entries(const AuditQuery& query) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace vigie::store::postgres
