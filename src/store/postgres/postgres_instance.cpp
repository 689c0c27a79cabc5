#include "store/postgres/postgres_instance.h"

namespace vigie::store::postgres {

Status PostgresInstance::ping() {
  TRY_ASSIGN(auto connection, pool_.acquire());
  if (auto answered = connection->execute("SELECT 1"); !answered.ok()) {
    return Error::unavailable("la base ne répond pas : " + answered.error().message);
  }
  return Status{};
}

Result<std::string> PostgresInstance::source_version(std::string_view source) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto rows, connection->query("SELECT version FROM referential_sources WHERE source = $1", {text(source)}));
  return rows.empty() ? std::string() : rows.text(0, 0);
}

Status PostgresInstance::record_source_version(std::string_view source, std::string_view version, std::string_view loaded_at) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  return connection->execute(
      "INSERT INTO referential_sources (source, version, loaded_at) VALUES ($1, $2, $3)"
      " ON CONFLICT (source) DO UPDATE SET version = excluded.version, loaded_at = excluded.loaded_at",
      {text(source), text(version), text(loaded_at)});
}

Result<std::string> PostgresInstance::shared_secret(std::string_view name, std::string_view candidate, std::string_view now) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_STATUS(connection->execute(
      "INSERT INTO instance_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
      {text(name), text(candidate), text(now)}));
  TRY_ASSIGN(auto rows, connection->query("SELECT value FROM instance_secrets WHERE name = $1", {text(name)}));
  if (rows.empty()) return Error::internal("secret partagé introuvable après son écriture : " + std::string(name));
  return rows.text(0, 0);
}

}  // namespace vigie::store::postgres
