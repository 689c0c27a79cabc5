#include "store/sqlite/audit.h"

namespace vigie::store::sqlite {

Status append_audit(Database& db, const Actor& actor, std::string_view action, std::string_view entity,
                    std::string_view entity_id, std::optional<std::int64_t> revision, const std::string& at) {
  TRY_ASSIGN(auto statement, db.prepare(
      "INSERT INTO audit_log (at, actor, action, entity, entity_id, revision) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  statement.bind(1, at).bind(2, actor.id).bind(3, action).bind(4, entity).bind(5, entity_id).bind(6, revision);
  return statement.run();
}

}  // namespace vigie::store::sqlite
