// The audit log on SQLite: one row per change, written in the changing transaction (every
// store's writes go through append_audit), read through store::AuditLog.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/audit_log.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/database.h"
#include "store/use_case_store.h"

namespace vigie::store::sqlite {

// `actor` did `action` ("create", "update", "attach"…) on `entity` ("fiche", "evaluation")
// `entity_id`, giving `revision` when the entity is versioned, at `at` (RFC 3339).
Status append_audit(Database& db, const Actor& actor, std::string_view action, std::string_view entity,
                    std::string_view entity_id, std::optional<std::int64_t> revision, const std::string& at);

class SqliteAuditLog final : public AuditLog {
 public:
  // `pool` outlives the log.
  explicit SqliteAuditLog(ConnectionPool& pool) : pool_(pool) {}
  Result<std::vector<AuditEntry>> entries(const AuditQuery& query) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace vigie::store::sqlite
