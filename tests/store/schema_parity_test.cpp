// The two backends' migrations build the same schema: the same tables with the same columns,
// at the same latest version. A table or a column added to one backend only fails here.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "store/postgres/migrations.h"
#include "store/sqlite/migrations.h"
#include "tests/support/backends.h"

namespace vigie::test {
namespace {

using Schema = std::map<std::string, std::set<std::string>>;  // table -> columns

Schema sqlite_schema(store::sqlite::Database& db) {
  Schema schema;
  auto statement = db.prepare(
      "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
      " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'");
  EXPECT_TRUE(statement.ok());
  if (!statement.ok()) return schema;
  while (true) {
    auto has_row = statement->step();
    EXPECT_TRUE(has_row.ok());
    if (!has_row.ok() || !*has_row) break;
    schema[statement->column_text(0)].insert(statement->column_text(1));
  }
  return schema;
}

Schema postgres_schema(store::postgres::Connection& connection) {
  Schema schema;
  // vigie_schema_migrations is PostgreSQL's PRAGMA user_version.
  auto rows = connection.query(
      "SELECT table_name, column_name FROM information_schema.columns"
      " WHERE table_schema = 'public' AND table_name <> 'vigie_schema_migrations'");
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  if (!rows.ok()) return schema;
  for (int row = 0; row < rows->size(); ++row) schema[rows->text(row, 0)].insert(rows->text(row, 1));
  return schema;
}

TEST(SchemaParityTest, BothBackendsHaveTheSameTablesAndColumnsAtTheSameVersion) {
  EXPECT_EQ(store::sqlite::latest_schema_version(), store::postgres::latest_schema_version())
      << "migrations are numbered alike: src/store/migrations/sqlite/ and src/store/migrations/postgres/";

  TempDir dir;
  auto db = store::sqlite::Database::open(dir.file("vigie.db"));
  ASSERT_TRUE(db.ok()) << db.error().message;
  ASSERT_TRUE(store::sqlite::migrate(**db).ok());

  PostgresDatabase database;
  ASSERT_TRUE(database.ok());
  auto connection = store::postgres::Connection::open(database.conninfo());
  ASSERT_TRUE(connection.ok()) << connection.error().message;
  auto version = store::postgres::migrate(**connection);
  ASSERT_TRUE(version.ok()) << version.error().message;

  const Schema sqlite = sqlite_schema(**db);
  const Schema postgres = postgres_schema(**connection);
  ASSERT_GT(sqlite.size(), 10u);
  for (const auto& [table, columns] : sqlite) {
    ASSERT_TRUE(postgres.contains(table)) << "table " << table << " is missing from PostgreSQL";
    EXPECT_EQ(columns, postgres.at(table)) << "columns of " << table;
  }
  for (const auto& [table, columns] : postgres) {
    EXPECT_TRUE(sqlite.contains(table)) << "table " << table << " is missing from SQLite";
  }
}

}  // namespace
}  // namespace vigie::test
