#include "store/store_copy.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/encoding.h"
#include "store/postgres/connection.h"
#include "store/sqlite/connection_pool.h"

namespace vigie::store {

namespace {

using Row = std::vector<std::optional<std::string>>;
using RowVisitor = std::function<Status(const Row&)>;

// The tables of an instance, each after those it refers to, and the order their rows are read
// in: an organisation after the one it names as parent or EPCI (the referential's links go one
// level down: an EPCI names none, a commune its EPCI, an attached commune its commune).
// `assessment_storage` is left out: the target's triggers compute it as versions arrive.
struct TableOrder {
  const char* table;
  const char* order_by;
};
constexpr TableOrder kTables[] = {
    {"referential_sources", "source"},
    {"organisations", "parent_code IS NOT NULL, epci_code IS NOT NULL, code"},
    {"organisation_postal_codes", "postal_code, organisation_code"},
    {"organisation_words", "word_key, organisation_code"},
    {"use_cases", "id"},
    {"use_case_owners", "use_case_id, organisation_code"},
    {"use_case_terms", "use_case_id, taxonomy, code"},
    {"use_case_relations", "source_id, target_id, type"},
    {"use_case_revisions", "use_case_id, revision"},
    {"use_case_views", "use_case_id"},
    {"changes", "sequence"},
    {"audit_log", "id"},
    {"assessments", "id"},
    {"assessment_versions", "assessment_id, version"},
    {"instance_secrets", "name"},
};

// Raw rows of one store, as text, for copying: table names come from kTables, column names from
// the store's own schema, values are bound.
class RawTables {
 public:
  virtual ~RawTables() = default;
  virtual Result<std::vector<std::string>> columns(const std::string& table) = 0;
  virtual Status each_row(const std::string& table, const std::vector<std::string>& columns, const std::string& order_by,
                          const RowVisitor& visit) = 0;
  // Inserts `rows` (a few hundred at most) into `table`.
  virtual Status insert(const std::string& table, const std::vector<std::string>& columns, const std::vector<Row>& rows) = 0;
  virtual Result<std::int64_t> count(const std::string& table) = 0;
  // Opens the read snapshot (source) or the write transaction (target).
  virtual Status begin_reading() = 0;
  virtual Status begin_writing() = 0;
  // Brings the identity counters past the copied ids, then commits.
  virtual Status finish_writing() = 0;
};

std::string column_list(const std::vector<std::string>& columns) {
  std::string list;
  for (const std::string& column : columns) list += (list.empty() ? "" : ", ") + column;
  return list;
}

class SqliteRawTables final : public RawTables {
 public:
  explicit SqliteRawTables(std::unique_ptr<sqlite::ConnectionPool> pool) : pool_(std::move(pool)) {}

  Status open() {
    TRY_ASSIGN(auto db, pool_->acquire());
    db_.emplace(std::move(db));
    return {};
  }
  Result<std::vector<std::string>> columns(const std::string& table) override {
    TRY_ASSIGN(auto statement, db().prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid"));
    statement.bind(1, table);
    std::vector<std::string> names;
    while (true) {
      TRY_ASSIGN(bool has_row, statement.step());
      if (!has_row) break;
      names.push_back(statement.column_text(0));
    }
    return names;
  }
  Status each_row(const std::string& table, const std::vector<std::string>& columns, const std::string& order_by,
                  const RowVisitor& visit) override {
    TRY_ASSIGN(auto statement, db().prepare("SELECT " + column_list(columns) + " FROM " + table + " ORDER BY " + order_by));
    Row row(columns.size());
    while (true) {
      TRY_ASSIGN(bool has_row, statement.step());
      if (!has_row) break;
      for (std::size_t i = 0; i < columns.size(); ++i) {
        const int column = static_cast<int>(i);
        row[i] = statement.column_is_null(column) ? std::nullopt : std::optional<std::string>(statement.column_text(column));
      }
      TRY_STATUS(visit(row));
    }
    return {};
  }
  Status insert(const std::string& table, const std::vector<std::string>& columns, const std::vector<Row>& rows) override {
    std::string placeholders;
    for (std::size_t i = 1; i <= columns.size(); ++i) placeholders += (i == 1 ? "?" : ", ?") + std::to_string(i);
    for (const Row& row : rows) {
      TRY_ASSIGN(auto statement, db().prepare("INSERT INTO " + table + " (" + column_list(columns) + ") VALUES (" + placeholders + ")"));
      for (std::size_t i = 0; i < row.size(); ++i) {
        const int parameter = static_cast<int>(i + 1);
        if (row[i]) statement.bind(parameter, std::string_view(*row[i]));
        else statement.bind(parameter, std::nullopt);
      }
      TRY_STATUS(statement.run());
    }
    return {};
  }
  Result<std::int64_t> count(const std::string& table) override {
    TRY_ASSIGN(auto statement, db().prepare("SELECT count(*) FROM " + table));
    TRY_ASSIGN(bool has_row, statement.step());
    return has_row ? statement.column_int(0) : 0;
  }
  Status begin_reading() override {
    TRY_ASSIGN(auto transaction, sqlite::Transaction::begin(db(), sqlite::Transaction::Kind::deferred));
    transaction_.emplace(std::move(transaction));
    return {};
  }
  Status begin_writing() override {
    TRY_ASSIGN(auto transaction, sqlite::Transaction::begin(db()));
    transaction_.emplace(std::move(transaction));
    return {};
  }
  Status finish_writing() override {
    TRY_STATUS(transaction_->commit());
    transaction_.reset();
    return pool_->analyze();
  }

 private:
  sqlite::Database& db() { return **db_; }
  std::unique_ptr<sqlite::ConnectionPool> pool_;
  std::optional<sqlite::ConnectionPool::Lease> db_;
  std::optional<sqlite::Transaction> transaction_;
};

class PostgresRawTables final : public RawTables {
 public:
  explicit PostgresRawTables(std::unique_ptr<postgres::ConnectionPool> pool) : pool_(std::move(pool)) {}

  Status open() {
    TRY_ASSIGN(auto connection, pool_->acquire());
    connection_.emplace(std::move(connection));
    return {};
  }
  Result<std::vector<std::string>> columns(const std::string& table) override {
    TRY_ASSIGN(auto rows, connection().query("SELECT column_name FROM information_schema.columns"
                                             " WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                                             {postgres::text(table)}));
    std::vector<std::string> names;
    for (int row = 0; row < rows.size(); ++row) names.push_back(rows.text(row, 0));
    return names;
  }
  Status each_row(const std::string& table, const std::vector<std::string>& columns, const std::string& order_by,
                  const RowVisitor& visit) override {
    TRY_ASSIGN(auto rows, connection().query("SELECT " + column_list(columns) + " FROM " + table + " ORDER BY " + order_by));
    Row values(columns.size());
    for (int row = 0; row < rows.size(); ++row) {
      for (std::size_t i = 0; i < columns.size(); ++i) {
        const int column = static_cast<int>(i);
        values[i] = rows.is_null(row, column) ? std::nullopt : std::optional<std::string>(rows.text(row, column));
      }
      TRY_STATUS(visit(values));
    }
    return {};
  }
  // One statement for the whole batch: one round trip to the server instead of one a row.
  Status insert(const std::string& table, const std::vector<std::string>& columns, const std::vector<Row>& rows) override {
    std::string values;
    std::vector<postgres::Param> params;
    params.reserve(rows.size() * columns.size());
    for (const Row& row : rows) {
      values += values.empty() ? "(" : ", (";
      for (std::size_t i = 0; i < row.size(); ++i) {
        params.push_back(row[i]);
        values += (i == 0 ? "$" : ", $") + std::to_string(params.size());
      }
      values += ')';
    }
    // OVERRIDING SYSTEM VALUE: the ids and change sequences are copied, not drawn anew.
    return connection().execute("INSERT INTO " + table + " (" + column_list(columns) + ") OVERRIDING SYSTEM VALUE VALUES " + values,
                                params);
  }
  Result<std::int64_t> count(const std::string& table) override {
    TRY_ASSIGN(auto rows, connection().query("SELECT count(*) FROM " + table));
    return rows.integer(0, 0);
  }
  Status begin_reading() override { return connection().execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
  Status begin_writing() override { return connection().execute("BEGIN"); }
  Status finish_writing() override {
    TRY_ASSIGN(auto identities, connection().query(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND is_identity = 'YES'"));
    for (int row = 0; row < identities.size(); ++row) {
      const std::string table = identities.text(row, 0);
      const std::string column = identities.text(row, 1);
      TRY_STATUS(connection().execute("SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(" + column + "), 0) + 1, false) FROM " +
                                          table,
                                      {postgres::text(table), postgres::text(column)}));
    }
    TRY_STATUS(connection().execute("COMMIT"));
    return connection().execute("ANALYZE");
  }

 private:
  postgres::Connection& connection() { return **connection_; }
  std::unique_ptr<postgres::ConnectionPool> pool_;
  std::optional<postgres::ConnectionPool::Lease> connection_;
};

// Opens (creating and migrating) the store at `location` for raw copying.
Result<std::unique_ptr<RawTables>> open_raw(const StoreLocation& location) {
  if (location.backend == StoreLocation::Backend::sqlite) {
    TRY_ASSIGN(auto pool, sqlite::ConnectionPool::open(location.target));
    auto tables = std::make_unique<SqliteRawTables>(std::move(pool));
    TRY_STATUS(tables->open());
    return std::unique_ptr<RawTables>(std::move(tables));
  }
  auto pool = postgres::ConnectionPool::open(location.target);
  if (!pool.ok()) {
    Error error = std::move(pool).error();
    error.message = fmt::format("{} : {}", location.display, error.message);
    return error;
  }
  auto tables = std::make_unique<PostgresRawTables>(std::move(pool).value());
  TRY_STATUS(tables->open());
  return std::unique_ptr<RawTables>(std::move(tables));
}

// BLAKE2b of every fiche's id and document, in id order.
Result<std::string> fiches_checksum(RawTables& tables) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
  TRY_STATUS(tables.each_row("use_cases", {"id", "document"}, "id", [&state](const Row& row) -> Status {
    std::string entry = row[0].value_or("") + '\t' + row[1].value_or("") + '\n';
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(entry.data()), entry.size());
    return {};
  }));
  std::string digest(crypto_generichash_BYTES, '\0');
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(digest.data()), digest.size());
  return encoding::base64url_encode(digest);
}

}  // namespace

Result<CopyReport> copy_store(const StoreLocation& from, const StoreLocation& to) {
  if (sodium_init() < 0) return Error::internal("libsodium");
  if (from.backend == to.backend && from.target == to.target) {
    return Error::invalid("copy-store : la source et la cible sont la même base (" + from.display + ")");
  }
  TRY_ASSIGN(auto source, open_raw(from));
  TRY_ASSIGN(auto target, open_raw(to));
  for (const char* table : {"organisations", "use_cases", "assessments"}) {
    TRY_ASSIGN(const std::int64_t held, target->count(table));
    if (held > 0) {
      return Error::conflict(fmt::format("copy-store : la base cible {} n'est pas vide ({} lignes dans {})\u00A0; la copie se fait vers "
                                         "une base neuve, sans rien écraser",
                                         to.display, held, table));
    }
  }
  CopyReport report;
  TRY_STATUS(source->begin_reading());
  TRY_STATUS(target->begin_writing());
  // The rows the target's migrations wrote (none today but a schema's own defaults) give way to
  // the source's: nothing else is there (checked above).
  for (const TableOrder& order : kTables) {
    const std::string table = order.table;
    TRY_ASSIGN(const std::vector<std::string> columns, source->columns(table));
    if (columns.empty()) return Error::internal("copy-store : la table " + table + " manque dans " + from.display);
    // By batches of about 8,000 values (PostgreSQL takes at most 65,535 parameters a statement).
    const std::size_t batch_rows = std::max<std::size_t>(1, 8000 / columns.size());
    std::vector<Row> batch;
    std::int64_t copied = 0;
    auto flush = [&]() -> Status {
      if (batch.empty()) return {};
      if (auto inserted = target->insert(table, columns, batch); !inserted.ok()) {
        Error error = std::move(inserted).error();
        error.message = fmt::format("copy-store : table {}, lignes {} à {} : {}", table, copied - static_cast<std::int64_t>(batch.size()) + 1,
                                    copied, error.message);
        return error;
      }
      batch.clear();
      return {};
    };
    TRY_STATUS(source->each_row(table, columns, order.order_by, [&](const Row& row) -> Status {
      ++copied;
      batch.push_back(row);
      return batch.size() == batch_rows ? flush() : Status{};
    }));
    TRY_STATUS(flush());
    report.rows[table] = copied;
  }
  TRY_STATUS(target->finish_writing());

  // Checked from the committed target against the source's snapshot.
  for (const auto& [table, copied] : report.rows) {
    TRY_ASSIGN(const std::int64_t in_target, target->count(table));
    TRY_ASSIGN(const std::int64_t in_source, source->count(table));
    if (in_target != copied || in_source != copied) {
      return Error::internal(fmt::format("copy-store : {} lignes de {} lues dans la source, {} dans la cible", in_source, table, in_target));
    }
  }
  TRY_ASSIGN(const std::string source_checksum, fiches_checksum(*source));
  TRY_ASSIGN(report.fiches_checksum, fiches_checksum(*target));
  if (source_checksum != report.fiches_checksum) {
    return Error::internal("copy-store : les documents des fiches diffèrent entre la source et la cible (somme de contrôle)");
  }
  return report;
}

}  // namespace vigie::store
