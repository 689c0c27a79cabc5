#include "store/sqlite/audit.h"

namespace vigie::store::sqlite {

Status append_audit(Database& db, const Actor& actor, std::string_view action, std::string_view entity,
                    std::string_view entity_id, std::optional<std::int64_t> revision, const std::string& at) {
  TRY_ASSIGN(auto statement, db.prepare(
      "INSERT INTO audit_log (at, actor, action, entity, entity_id, revision) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  statement.bind(1, at).bind(2, actor.id).bind(3, action).bind(4, entity).bind(5, entity_id).bind(6, revision);
  return statement.run();
}

Result<std::vector<AuditEntry>> SqliteAuditLog::entries(const AuditQuery& query) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare(
      "SELECT at, actor, action, entity, entity_id, revision FROM audit_log"
      " WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2) AND (?3 IS NULL OR actor = ?3)"
      "   AND (?4 IS NULL OR action = ?4)"
      " ORDER BY id DESC LIMIT ?5"));
  statement.bind_text_or_null(1, query.entity).bind_text_or_null(2, query.entity_id).bind_text_or_null(3, query.actor)
      .bind_text_or_null(4, query.action).bind(5, static_cast<std::int64_t>(query.limit));
  std::vector<AuditEntry> found;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    found.push_back({statement.column_text(0), statement.column_text(1), statement.column_text(2), statement.column_text(3),
                     statement.column_text(4), statement.column_optional_int(5)});
  }
  return found;
}

}  // namespace vigie::store::sqlite
