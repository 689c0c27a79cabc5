#include "store/sqlite/sqlite_instance.h"

namespace vigie::store::sqlite {

Status SqliteInstance::ping() {
  TRY_ASSIGN(auto db, pool_.acquire());
  if (auto answered = db->execute("SELECT 1"); !answered.ok()) return Error::unavailable("la base ne répond pas : " + answered.error().message);
  return Status{};
}

Result<std::string> SqliteInstance::source_version(std::string_view source) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare("SELECT version FROM referential_sources WHERE source = ?1"));
  statement.bind(1, source);
  TRY_ASSIGN(bool has_row, statement.step());
  return has_row ? statement.column_text(0) : std::string();
}

Status SqliteInstance::record_source_version(std::string_view source, std::string_view version, std::string_view loaded_at) {
  TRY_ASSIGN(auto db, pool_.acquire());
  TRY_ASSIGN(auto statement, db->prepare(
      "INSERT INTO referential_sources (source, version, loaded_at) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (source) DO UPDATE SET version = excluded.version, loaded_at = excluded.loaded_at"));
  statement.bind(1, source).bind(2, version).bind(3, loaded_at);
  return statement.run();
}

}  // namespace vigie::store::sqlite
