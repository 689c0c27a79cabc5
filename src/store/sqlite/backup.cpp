#include "store/sqlite/backup.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include "store/sqlite/migrations.h"

namespace vigie::store::sqlite {

namespace {

// A raw connection closed at the end of its scope. (Database::open would create a missing file
// and set WAL mode; these connections must do neither.)
struct Connection {
  sqlite3* db = nullptr;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { sqlite3_close(db); }
};

Status open_connection(Connection& connection, const std::filesystem::path& path, int flags) {
  const int code = sqlite3_open_v2(path.c_str(), &connection.db, flags, nullptr);
  if (code != SQLITE_OK) {
    return Error::unavailable(fmt::format("{} : ouverture impossible ({})", path.string(),
                                          connection.db ? sqlite3_errmsg(connection.db) : sqlite3_errstr(code)));
  }
  sqlite3_busy_timeout(connection.db, 5000);
  return {};
}

// The first column of the rows of `sql`, as text.
Result<std::vector<std::string>> column_values(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) != SQLITE_OK) {
    return Error::invalid(sqlite3_errmsg(db));
  }
  std::vector<std::string> values;
  int code = SQLITE_ROW;
  while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(statement, 0);
    values.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(statement);
  if (code != SQLITE_DONE) return Error::invalid(sqlite3_errmsg(db));
  return values;
}

Result<std::int64_t> single_number(sqlite3* db, std::string_view sql) {
  TRY_ASSIGN(const auto values, column_values(db, sql));
  return values.empty() || values.front().empty() ? std::int64_t{0} : std::stoll(values.front());
}

// The tables without which a file is not a Vigie database.
constexpr std::array<std::string_view, 6> kVigieTables = {"use_cases", "use_case_revisions", "changes", "audit_log",
                                                          "organisations", "referential_sources"};

Result<DatabaseSummary> summarise(sqlite3* db, const std::filesystem::path& path) {
  const std::string name = path.string();
  auto integrity = column_values(db, "PRAGMA integrity_check");
  if (!integrity.ok()) return Error::invalid(fmt::format("{} n’est pas une base SQLite lisible ({})", name, integrity.error().message));
  if (integrity->size() != 1 || integrity->front() != "ok") {
    return Error::invalid(fmt::format("{} est endommagée (integrity_check\u00A0: {})", name,
                                      integrity->empty() ? std::string("aucune réponse") : integrity->front()));
  }
  TRY_ASSIGN(const auto tables, column_values(db, "SELECT name FROM sqlite_master WHERE type = 'table'"));
  std::string missing;
  for (const auto table : kVigieTables) {
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) missing += (missing.empty() ? "" : ", ") + std::string(table);
  }
  if (!missing.empty()) return Error::invalid(fmt::format("{} n’est pas une base de Vigie (tables manquantes\u00A0: {})", name, missing));
  DatabaseSummary summary;
  TRY_ASSIGN(const auto version, single_number(db, "PRAGMA user_version"));
  summary.schema_version = static_cast<int>(version);
  if (summary.schema_version < 1) return Error::invalid(fmt::format("{} n’est pas une base de Vigie (aucune version de schéma)", name));
  if (summary.schema_version > latest_schema_version()) {
    return Error::invalid(fmt::format("{} vient d’une version plus récente de Vigie (schéma {}, ce programme connaît le schéma {})\u00A0: "
                                      "mettez Vigie à jour avant de la restaurer",
                                      name, summary.schema_version, latest_schema_version()));
  }
  TRY_ASSIGN(summary.use_cases, single_number(db, "SELECT count(*) FROM use_cases"));
  TRY_ASSIGN(summary.last_change, single_number(db, "SELECT coalesce(max(sequence), 0) FROM changes"));
  TRY_ASSIGN(summary.audit_entries, single_number(db, "SELECT count(*) FROM audit_log"));
  if (std::find(tables.begin(), tables.end(), "assessments") != tables.end()) {
    TRY_ASSIGN(summary.assessments, single_number(db, "SELECT count(*) FROM assessments"));
    TRY_ASSIGN(summary.assessment_versions, single_number(db, "SELECT count(*) FROM assessment_versions"));
  }
  std::error_code ignored;
  summary.file_bytes = std::filesystem::file_size(path, ignored);
  return summary;
}

}  // namespace

Result<DatabaseSummary> check_database(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return Error::not_found(fmt::format("{} n’existe pas ou n’est pas un fichier", path.string()));
  Connection connection;
  if (auto opened = open_connection(connection, path, SQLITE_OPEN_READONLY); !opened.ok()) {
    return Error::invalid(fmt::format("{} n’est pas une base SQLite lisible", path.string()));
  }
  return summarise(connection.db, path);
}

Result<DatabaseSummary> backup_database(const std::filesystem::path& source, const std::filesystem::path& destination) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(source, error)) return Error::not_found(fmt::format("{} n’existe pas", source.string()));
  if (std::filesystem::exists(destination, error)) {
    return Error::conflict(fmt::format("{} existe déjà\u00A0: choisissez un autre nom ou un dossier", destination.string()));
  }
  const auto partial = std::filesystem::path(destination.string() + ".partiel");
  std::filesystem::remove(partial, error);
  {
    Connection from;
    // Read-write (never create): a WAL database is read with its write-ahead log and shared
    // memory, as a server's other connections do.
    TRY_STATUS(open_connection(from, source, SQLITE_OPEN_READWRITE));
    Connection to;
    TRY_STATUS(open_connection(to, partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    sqlite3_backup* backup = sqlite3_backup_init(to.db, "main", from.db, "main");
    if (!backup) return Error::unavailable(fmt::format("sauvegarde impossible\u00A0: {}", sqlite3_errmsg(to.db)));
    // Every page in one step, under one read transaction of the source: a consistent snapshot
    // that writers (WAL) do not wait for. In several steps, any write by another connection
    // between two steps would restart the copy, which might then never end on a busy site.
    int code = SQLITE_OK;
    for (int attempt = 0; attempt < 50; ++attempt) {
      code = sqlite3_backup_step(backup, -1);
      if (code != SQLITE_BUSY && code != SQLITE_LOCKED) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    sqlite3_backup_finish(backup);
    if (code != SQLITE_DONE) {
      std::filesystem::remove(partial, error);
      return Error::unavailable(fmt::format("sauvegarde interrompue\u00A0: {}", sqlite3_errstr(code)));
    }
    // One self-contained file (no -wal beside it); synchronous=FULL syncs it on the way.
    if (sqlite3_exec(to.db, "PRAGMA synchronous = FULL; PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::filesystem::remove(partial, error);
      return Error::unavailable(fmt::format("sauvegarde\u00A0: {}", sqlite3_errmsg(to.db)));
    }
  }
  auto summary = check_database(partial);
  if (!summary.ok()) {
    std::filesystem::remove(partial, error);
    return std::move(summary).error();
  }
  std::filesystem::rename(partial, destination, error);
  if (error) {
    std::filesystem::remove(partial, error);
    return Error::unavailable(fmt::format("{} : écriture impossible ({})", destination.string(), error.message()));
  }
  return summary;
}

}  // namespace vigie::store::sqlite
