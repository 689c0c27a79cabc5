#include "store/postgres/postgres_instance.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <string>

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

Status PostgresInstance::update_rate_buckets(const std::vector<std::string>& keys, const RateBucketUpdate& update,
                                             std::int64_t forget_before_ms) {
  TRY_ASSIGN(auto connection, pool_.acquire());
  TRY_ASSIGN(auto transaction, Transaction::begin(*connection));
  // Every bucket gets a row first, so that FOR UPDATE has something to lock even for a new
  // address; keys are locked in one order (sorted) so that two nodes never wait on each other.
  std::vector<std::size_t> order(keys.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&keys](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  std::vector<std::optional<RateBucket>> current(keys.size());
  for (const std::size_t i : order) {
    TRY_STATUS(connection->execute(
        "INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES ($1, -1, 0) ON CONFLICT (key) DO NOTHING", {text(keys[i])}));
    TRY_ASSIGN(auto rows, connection->query("SELECT tokens, updated_ms FROM rate_buckets WHERE key = $1 FOR UPDATE", {text(keys[i])}));
    if (rows.empty()) continue;
    const std::string tokens = rows.text(0, 0);
    double value = -1;
    std::from_chars(tokens.data(), tokens.data() + tokens.size(), value);  // text in the C format, whatever the locale
    if (value >= 0) current[i] = RateBucket{value, rows.integer(0, 1)};
  }
  const std::vector<RateBucket> next = update(current);
  for (std::size_t i = 0; i < keys.size() && i < next.size(); ++i) {
    TRY_STATUS(connection->execute("UPDATE rate_buckets SET tokens = $2::double precision, updated_ms = $3::bigint WHERE key = $1",
                                   {text(keys[i]), text(fmt::format("{}", next[i].tokens)), integer(next[i].updated_ms)}));
  }
  // About one update in 64 forgets the old buckets (so every node takes its share).
  if ((next.empty() ? 0 : static_cast<std::uint64_t>(next.front().updated_ms)) % 64 == 0) {
    TRY_STATUS(connection->execute("DELETE FROM rate_buckets WHERE updated_ms < $1::bigint", {integer(forget_before_ms)}));
  }
  return transaction.commit();
}

}  // namespace vigie::store::postgres
