// A thin, safe layer over the SQLite C API: a connection that owns its prepared statements,
// and statements whose every value is a bound parameter (SQL text is constant).
//
// Thread-safety: a Database is used by one thread at a time (SQLite's "multi-thread" mode);
// each worker owns its own (see ConnectionPool).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

namespace vigie::store::sqlite {

class Statement {
 public:
  Statement(sqlite3_stmt* statement, sqlite3* db) : statement_(statement), db_(db) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();  // resets and clears bindings; the statement stays cached in its Database

  // Binds by 1-based index. Text is copied by SQLite (SQLITE_TRANSIENT).
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::nullopt_t);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  // Binds an empty string as NULL.
  Statement& bind_text_or_null(int index, std::string_view text);

  // Advances: true when a row is available, false when done. Errors map to `unavailable`
  // (busy, I/O) or `conflict` (constraint violation) with SQLite's message.
  Result<bool> step();
  // Runs to completion, ignoring rows.
  Status run();

  std::int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;  // "" for NULL
  std::optional<std::int64_t> column_optional_int(int column) const;
  bool column_is_null(int column) const;
  int column_count() const { return sqlite3_column_count(statement_); }

 private:
  sqlite3_stmt* statement_;
  sqlite3* db_;
};

enum class OpenMode { read_write_create, read_only };

class Database {
 public:
  // Opens (and creates, in read_write_create mode) the database at `path` with WAL, foreign
  // keys on, a busy timeout and NORMAL synchronous mode. Fails with `unavailable`.
  static Result<std::unique_ptr<Database>> open(const std::string& path, OpenMode mode = OpenMode::read_write_create);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Returns the cached prepared statement for `sql` (prepared on first use). `sql` must be a
  // constant: values go through bind(). Fails with `internal` on a syntax error.
  Result<Statement> prepare(std::string_view sql);
  // Runs SQL text without parameters (schema, pragmas, transactions).
  Status execute(std::string_view sql);

  std::int64_t last_insert_id() const;
  int changes() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// A transaction that rolls back unless committed. BEGIN IMMEDIATE for writers takes the write
// lock at once, so the busy timeout applies at the start rather than at the first write.
class Transaction {
 public:
  enum class Kind { deferred, immediate };
  static Result<Transaction> begin(Database& db, Kind kind = Kind::immediate);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_;
};

}  // namespace vigie::store::sqlite
