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

Result<std::string> SqliteInstance::shared_secret(std::string_view name, std::string_view candidate, std::string_view now) {
  TRY_ASSIGN(auto db, pool_.acquire());
  {
    TRY_ASSIGN(auto insert, db->prepare(
        "INSERT INTO instance_secrets (name, value, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING"));
    TRY_STATUS(insert.bind(1, name).bind(2, candidate).bind(3, now).run());
  }
  TRY_ASSIGN(auto statement, db->prepare("SELECT value FROM instance_secrets WHERE name = ?1"));
  statement.bind(1, name);
  TRY_ASSIGN(bool has_row, statement.step());
  if (!has_row) return Error::internal("secret partagé introuvable après son écriture : " + std::string(name));
  return statement.column_text(0);
}

Status SqliteInstance::update_rate_buckets(const std::vector<std::string>& keys, const RateBucketUpdate& update,
                                           std::int64_t forget_before_ms) {
  TRY_ASSIGN(auto db, pool_.acquire());
  // BEGIN IMMEDIATE: one writer at a time for the whole database, every process included.
  TRY_ASSIGN(auto transaction, Transaction::begin(*db));
  std::vector<std::optional<RateBucket>> current;
  for (const std::string& key : keys) {
    TRY_ASSIGN(auto statement, db->prepare("SELECT tokens, updated_ms FROM rate_buckets WHERE key = ?1"));
    statement.bind(1, key);
    TRY_ASSIGN(bool has_row, statement.step());
    current.push_back(has_row ? std::optional<RateBucket>(RateBucket{statement.column_double(0), statement.column_int(1)})
                              : std::nullopt);
  }
  const std::vector<RateBucket> next = update(current);
  for (std::size_t i = 0; i < keys.size() && i < next.size(); ++i) {
    TRY_ASSIGN(auto statement, db->prepare(
        "INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_ms = excluded.updated_ms"));
    TRY_STATUS(statement.bind(1, keys[i]).bind(2, next[i].tokens).bind(3, next[i].updated_ms).run());
  }
  // About one update in 64 forgets the old buckets (randomly, so every node takes its share).
  if ((next.empty() ? 0 : static_cast<std::uint64_t>(next.front().updated_ms)) % 64 == 0) {
    TRY_ASSIGN(auto forget, db->prepare("DELETE FROM rate_buckets WHERE updated_ms < ?1"));
    TRY_STATUS(forget.bind(1, forget_before_ms).run());
  }
  return transaction.commit();
}

}  // namespace vigie::store::sqlite
