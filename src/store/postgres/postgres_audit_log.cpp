#include "store/postgres/postgres_audit_log.h"

namespace vigie::store::postgres {

Result<std::vector<AuditEntry>> PostgresAuditLog::entries(const AuditQuery& query) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto rows, connection->query(
      "SELECT at, actor, action, entity, entity_id, revision FROM audit_log"
      " WHERE ($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR entity_id = $2)"
      "   AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR action = $4)"
      " ORDER BY id DESC LIMIT $5::bigint",
      {text_or_null(query.entity), text_or_null(query.entity_id), text_or_null(query.actor), text_or_null(query.action),
       integer(static_cast<std::int64_t>(query.limit))}));
  std::vector<AuditEntry> found;
  for (int row = 0; row < rows.size(); ++row) {
    AuditEntry entry{rows.text(row, 0), rows.text(row, 1), rows.text(row, 2), rows.text(row, 3), rows.text(row, 4), std::nullopt};
    if (!rows.is_null(row, 5)) entry.revision = rows.integer(row, 5);
    found.push_back(std::move(entry));
  }
  return found;
}

}  // namespace vigie::store::postgres
