#include "store/sqlite/database.h"

#include <fmt/format.h>

namespace vigie::store::sqlite {

namespace {

Error error_from(sqlite3* db, int code, std::string_view context) {
  const std::string message = fmt::format("{} : {}", context, db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
  switch (code & 0xFF) {
    case SQLITE_CONSTRAINT: return Error::conflict(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY: return Error::unavailable(message);
    default: return Error::internal(message);
  }
}

}  // namespace

Statement::Statement(Statement&& other) noexcept : statement_(other.statement_), db_(other.db_) {
  other.statement_ = nullptr;
}

Statement::~Statement() {
  if (statement_) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}
Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(statement_, index, value);
  return *this;
}
Statement& Statement::bind(int index, std::nullopt_t) {
  sqlite3_bind_null(statement_, index);
  return *this;
}
Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind(index, std::nullopt);
}
Statement& Statement::bind_text_or_null(int index, std::string_view text) {
  return text.empty() ? bind(index, std::nullopt) : bind(index, text);
}

Result<bool> Statement::step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return error_from(db_, code, "erreur de la base de données");
}

Status Statement::run() {
  while (true) {
    auto row = step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return {};
  }
}

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(statement_, column); }
double Statement::column_double(int column) const { return sqlite3_column_double(statement_, column); }
std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(statement_, column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}
std::optional<std::int64_t> Statement::column_optional_int(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_int(column);
}
bool Statement::column_is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

Result<std::unique_ptr<Database>> Database::open(const std::string& path, OpenMode mode) {
  sqlite3* db = nullptr;
  const int flags = (mode == OpenMode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (code != SQLITE_OK) {
    Error error = Error::unavailable(fmt::format("impossible d'ouvrir la base {} : {}", path,
                                                 db ? sqlite3_errmsg(db) : sqlite3_errstr(code)));
    sqlite3_close(db);
    return error;
  }
  std::unique_ptr<Database> database(new Database(db));
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  if (mode == OpenMode::read_write_create) {
    TRY_STATUS(database->execute("PRAGMA journal_mode = WAL"));
  }
  TRY_STATUS(database->execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;"));
  return database;
}

Database::~Database() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close(db_);
}

Result<Statement> Database::prepare(std::string_view sql) {
  std::string key(sql);
  auto found = statements_.find(key);
  if (found == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                        &statement, nullptr);
    if (code != SQLITE_OK) return error_from(db_, code, fmt::format("requête invalide « {} »", sql));
    found = statements_.emplace(std::move(key), statement).first;
  }
  return Statement(found->second, db_);
}

Status Database::execute(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (code != SQLITE_OK) {
    Error error = error_from(db_, code, "erreur de la base de données");
    sqlite3_free(message);
    return error;
  }
  return {};
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Result<Transaction> Transaction::begin(Database& db, Kind kind) {
  TRY_STATUS(db.execute(kind == Kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN"));
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->execute("ROLLBACK");
}

Status Transaction::commit() {
  Database* db = db_;
  db_ = nullptr;
  auto committed = db->execute("COMMIT");
  // A failed COMMIT (busy, I/O) leaves the transaction open: end it so the connection, which
  // goes back to the pool, starts clean.
  if (!committed.ok()) (void)db->execute("ROLLBACK");
  return committed;
}

}  // namespace vigie::store::sqlite
