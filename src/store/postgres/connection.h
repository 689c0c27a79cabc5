// A thin, safe layer over libpq: a connection whose every value is a bound parameter (SQL text
// is constant), results read by row and column, a transaction that rolls back unless committed,
// and a pool of connections. The PostgreSQL twin of store/sqlite/database.h.
//
// Thread-safety: a Connection is used by one thread at a time; each worker borrows its own from
// the ConnectionPool.
#pragma once

#include <libpq-fe.h>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "store/lending_pool.h"

namespace vigie::store::postgres {

// A parameter, sent in libpq's text format; std::nullopt is SQL NULL. PostgreSQL infers its
// type from the statement: write a cast ($1::bigint) where the statement does not say it.
using Param = std::optional<std::string>;
inline Param text(std::string_view value) { return std::string(value); }
inline Param integer(std::int64_t value) { return std::to_string(value); }
inline Param text_or_null(std::string_view value) { return value.empty() ? Param{} : text(value); }
// A JSON value, for a $n::jsonb parameter (many rows in one statement: jsonb_to_recordset,
// jsonb_array_elements). Invalid UTF-8 becomes U+FFFD rather than failing.
Param json(const nlohmann::json& value);

// The rows of one statement, in libpq's text format.
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result, PQclear) {}
  int size() const { return PQntuples(result_.get()); }
  int columns() const { return PQnfields(result_.get()); }
  bool empty() const { return size() == 0; }
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string text(int row, int column) const;  // "" for NULL
  std::int64_t integer(int row, int column) const;  // 0 for NULL
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t affected() const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

class Connection {
 public:
  // Connects with a libpq connection string ("host=/run/postgresql dbname=vigie" or
  // "postgresql://…"). Fails with `unavailable`, naming the server's answer.
  static Result<std::unique_ptr<Connection>> open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with its parameters ($1, $2…). A SELECT, INSERT, UPDATE, DELETE or WITH
  // is prepared on its first run on this connection and reused after, keyed by its text (which
  // must be a constant: values go through `params`). Errors map to `unavailable` (connection
  // lost, server shutting down, out of resources, serialisation failure: retry later),
  // `conflict` (unique or foreign-key violation) or `internal`, with the server's message.
  Result<Rows> query(std::string_view sql, const std::vector<Param>& params = {});
  Status execute(std::string_view sql, const std::vector<Param>& params = {});
  // Runs SQL text holding several statements and no parameters (migrations).
  Status execute_script(std::string_view sql);
  // False once the connection to the server is lost; the pool then drops it.
  bool healthy() const;

 private:
  explicit Connection(PGconn* connection) : connection_(connection) {}
  // The name of `sql`'s prepared statement on this connection, preparing it the first time.
  Result<std::string> prepared(const std::string& sql, int parameters);

  PGconn* connection_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

// A transaction that rolls back unless committed.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& connection);
  Transaction(Transaction&& other) noexcept : connection_(other.connection_) { other.connection_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Connection& connection) : connection_(&connection) {}
  Connection* connection_;
};

// Connections to one database, lent to one thread at a time. A connection whose server went
// away is not lent again: the next acquire opens a fresh one.
class ConnectionPool final : public LendingPool<Connection> {
 public:
  // Opens one connection to check the server and migrates the schema (migrations.h).
  static Result<std::unique_ptr<ConnectionPool>> open(std::string conninfo);

 private:
  explicit ConnectionPool(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  Result<std::unique_ptr<Connection>> open_connection() override { return Connection::open(conninfo_); }
  bool reusable(const Connection& connection) const override { return connection.healthy(); }

  const std::string conninfo_;
};

}  // namespace vigie::store::postgres
