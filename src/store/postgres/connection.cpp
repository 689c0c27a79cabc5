#include "store/postgres/connection.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "store/postgres/migrations.h"

namespace vigie::store::postgres {

Param json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// The server's message without its trailing newline.
std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// SQLSTATE classes (PostgreSQL manual, appendix A): 08 connection, 53 insufficient resources,
// 57 operator intervention (shutdown), 40 transaction rollback (serialisation, deadlock): the
// same request may succeed later. 23 integrity constraint: the data says no.
Error error_of(const PGresult* result, PGconn* connection) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(connection));
  if (message.empty()) message = trimmed(PQerrorMessage(connection));
  const std::string_view code = state ? state : "";
  if (code.empty() || PQstatus(connection) != CONNECTION_OK) {
    return Error::unavailable("la base PostgreSQL ne répond pas : " + message);
  }
  const std::string_view family = code.substr(0, 2);
  if (family == "08" || family == "53" || family == "57" || family == "40") {
    return Error::unavailable("la base PostgreSQL ne peut pas répondre maintenant : " + message);
  }
  if (family == "23") return Error::conflict(message);
  return Error::internal(fmt::format("erreur PostgreSQL {} : {}", code, message));
}

}  // namespace

std::string Rows::text(int row, int column) const {
  if (is_null(row, column)) return {};
  return {PQgetvalue(result_.get(), row, column), static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::int64_t Rows::integer(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  const auto length = static_cast<std::size_t>(PQgetlength(result_.get(), row, column));
  std::int64_t number = 0;
  std::from_chars(value, value + length, number);
  return number;
}

std::int64_t Rows::affected() const {
  const char* count = PQcmdTuples(result_.get());
  std::int64_t number = 0;
  std::from_chars(count, count + std::char_traits<char>::length(count), number);
  return number;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& conninfo) {
  PGconn* connection = PQconnectdb(conninfo.c_str());
  if (connection == nullptr) return Error::unavailable("la base PostgreSQL ne répond pas : mémoire insuffisante");
  if (PQstatus(connection) != CONNECTION_OK) {
    Error error = Error::unavailable("la base PostgreSQL ne répond pas : " + trimmed(PQerrorMessage(connection)));
    PQfinish(connection);
    return error;
  }
  // Dates are text of ours (RFC 3339), never the server's: no time-zone or locale dependence.
  // Notices (« does not exist, skipping ») are not for people: warnings and errors only.
  PGresult* set = PQexec(connection, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET client_min_messages = warning");
  PQclear(set);
  return std::unique_ptr<Connection>(new Connection(connection));
}

Connection::~Connection() { PQfinish(connection_); }

bool Connection::healthy() const { return PQstatus(connection_) == CONNECTION_OK; }

namespace {

// Statements worth preparing: the ones that plan (not BEGIN, COMMIT, LOCK, SET…).
bool plans(std::string_view sql) {
  for (std::string_view keyword : {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}) {
    if (sql.substr(0, keyword.size()) == keyword) return true;
  }
  return false;
}

}  // namespace

Result<std::string> Connection::prepared(const std::string& sql, int parameters) {
  if (auto found = prepared_.find(sql); found != prepared_.end()) return found->second;
  std::string name = "vigie_" + std::to_string(prepared_.size() + 1);
  PGresult* result = PQprepare(connection_, name.c_str(), sql.c_str(), parameters, nullptr);
  const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK) {
    Error error = error_of(result, connection_);
    PQclear(result);
    return error;
  }
  PQclear(result);
  prepared_.emplace(sql, name);
  return name;
}

Result<Rows> Connection::query(std::string_view sql, const std::vector<Param>& params) {
  // PostgreSQL refuses text that is not UTF-8 (a query string's "%FF") and libpq's text format
  // ends a value at its first NUL: such bytes become U+FFFD, as the JSON parameters' do, so a
  // look-up with them finds nothing instead of failing. Written values are validated before.
  std::vector<std::string> repaired;
  repaired.reserve(params.size());
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) {
    if (!param) {
      values.push_back(nullptr);
    } else if (text::is_valid_utf8(*param) && param->find('\0') == std::string::npos) {
      values.push_back(param->c_str());
    } else {
      std::string valid;
      for (char c : text::to_valid_utf8(*param)) {
        if (c == '\0') valid += "\xEF\xBF\xBD";
        else valid += c;
      }
      repaired.push_back(std::move(valid));
      values.push_back(repaired.back().c_str());
    }
  }
  const std::string statement(sql);
  const int count = static_cast<int>(params.size());
  PGresult* result = nullptr;
  if (plans(statement)) {
    TRY_ASSIGN(const std::string name, prepared(statement, count));
    result = PQexecPrepared(connection_, name.c_str(), count, values.data(), nullptr, nullptr, 0);
  } else {
    result = PQexecParams(connection_, statement.c_str(), count, nullptr, values.data(), nullptr, nullptr, 0);
  }
  const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    Error error = error_of(result, connection_);
    PQclear(result);
    return error;
  }
  return Rows(result);
}

Status Connection::execute(std::string_view sql, const std::vector<Param>& params) {
  TRY_ASSIGN(auto rows, query(sql, params));
  (void)rows;
  return {};
}

Status Connection::execute_script(std::string_view sql) {
  const std::string script(sql);
  PGresult* result = PQexec(connection_, script.c_str());
  const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    Error error = error_of(result, connection_);
    PQclear(result);
    return error;
  }
  PQclear(result);
  return {};
}

Result<Transaction> Transaction::begin(Connection& connection) {
  TRY_STATUS(connection.execute("BEGIN"));
  return Transaction(connection);
}

Transaction::~Transaction() {
  if (connection_ && connection_->healthy()) (void)connection_->execute("ROLLBACK");
}

Status Transaction::commit() {
  Connection* connection = connection_;
  connection_ = nullptr;
  return connection->execute("COMMIT");
}

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::open(std::string conninfo) {
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(std::move(conninfo)));
  TRY_ASSIGN(auto connection, Connection::open(pool->conninfo_));
  TRY_STATUS(migrate(*connection));
  pool->keep(std::move(connection));
  return pool;
}

}  // namespace vigie::store::postgres
