// PostgreSQL's connections, pool and migrations, on the test run's throw-away server.
#include "store/postgres/migrations.h"

#include <gtest/gtest.h>

#include <future>

#include "store/postgres/connection.h"
#include "tests/support/backends.h"

namespace vigie::store::postgres {
namespace {

std::unique_ptr<Connection> connect(const test::PostgresDatabase& database) {
  auto connection = Connection::open(database.conninfo());
  EXPECT_TRUE(connection.ok()) << connection.error().message;
  return connection.ok() ? std::move(connection).value() : nullptr;
}

TEST(PostgresMigrationsTest, FromEmptyReachesLatestVersionAndTwiceChangesNothing) {
  test::PostgresDatabase database;
  ASSERT_TRUE(database.ok());
  auto connection = connect(database);
  ASSERT_TRUE(connection);
  auto version = migrate(*connection);
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, latest_schema_version());
  auto again = migrate(*connection);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, latest_schema_version());
  auto applied = connection->query("SELECT count(*) FROM vigie_schema_migrations");
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->integer(0, 0), latest_schema_version()) << "each migration recorded once";
}

TEST(PostgresMigrationsTest, NodesStartingTogetherMigrateOnce) {
  test::PostgresDatabase database;
  ASSERT_TRUE(database.ok());
  auto first = connect(database);
  auto second = connect(database);
  ASSERT_TRUE(first && second);
  auto a = std::async(std::launch::async, [&] { return migrate(*first); });
  auto b = std::async(std::launch::async, [&] { return migrate(*second); });
  auto version_a = a.get();
  auto version_b = b.get();
  ASSERT_TRUE(version_a.ok()) << version_a.error().message;
  ASSERT_TRUE(version_b.ok()) << version_b.error().message;
  EXPECT_EQ(*version_a, latest_schema_version());
  EXPECT_EQ(*version_b, latest_schema_version());
}

TEST(PostgresMigrationsTest, NewerDatabaseIsRefused) {
  test::PostgresDatabase database;
  ASSERT_TRUE(database.ok());
  auto connection = connect(database);
  ASSERT_TRUE(connection);
  ASSERT_TRUE(migrate(*connection).ok());
  ASSERT_TRUE(connection->execute("INSERT INTO vigie_schema_migrations (version, applied_at) VALUES (9999, 'x')").ok());
  auto version = migrate(*connection);
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.error().kind, ErrorKind::unavailable);
  EXPECT_NE(version.error().message.find("9999"), std::string::npos);
}

TEST(PostgresConnectionTest, ServerThatDoesNotAnswerIsUnavailableInFrench) {
  test::TempDir nowhere;  // a socket directory where no server listens
  auto pool = ConnectionPool::open("host=" + nowhere.path().string() + " port=5432 dbname=vigie connect_timeout=2");
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.error().kind, ErrorKind::unavailable);
  EXPECT_NE(pool.error().message.find("la base PostgreSQL ne répond pas"), std::string::npos) << pool.error().message;
}

TEST(PostgresConnectionTest, ParametersAreValuesNeverSql) {
  test::PostgresDatabase database;
  ASSERT_TRUE(database.ok());
  auto connection = connect(database);
  ASSERT_TRUE(connection);
  const std::string hostile = "x'); DROP TABLE t; --\xC3\xA9";
  ASSERT_TRUE(connection->execute("CREATE TABLE t (v TEXT, n BIGINT)").ok());
  ASSERT_TRUE(connection->execute("INSERT INTO t VALUES ($1, $2::bigint), ($3, $4::bigint)",
                                  {text(hostile), integer(-9007199254740993), std::nullopt, std::nullopt}).ok());
  auto rows = connection->query("SELECT v, n FROM t ORDER BY n NULLS LAST");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2);
  EXPECT_EQ(rows->text(0, 0), hostile);
  EXPECT_EQ(rows->integer(0, 1), -9007199254740993);
  EXPECT_TRUE(rows->is_null(1, 0));
  EXPECT_EQ(rows->text(1, 0), "");
}

TEST(PostgresConnectionTest, BytesThatAreNotTextBecomeReplacementCharactersInsteadOfFailing) {
  test::PostgresDatabase database;
  ASSERT_TRUE(database.ok());
  auto connection = connect(database);
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->execute("CREATE TABLE t (v TEXT)").ok());
  ASSERT_TRUE(connection->execute("INSERT INTO t VALUES ('a')").ok());
  for (const std::string& value : {std::string("\xFF"), std::string("a\0b", 3)}) {
    auto found = connection->query("SELECT count(*) FROM t WHERE v = $1", {text(value)});
    ASSERT_TRUE(found.ok()) << found.error().message;
    EXPECT_EQ(found->integer(0, 0), 0);  // not truncated to "a" at the NUL
  }
  auto echoed = connection->query("SELECT $1::text", {text("x\xC3")});
  ASSERT_TRUE(echoed.ok()) << echoed.error().message;
  EXPECT_EQ(echoed->text(0, 0), "x\uFFFD");
}

TEST(PostgresConnectionTest, ConstraintViolationIsAConflictAndRollsBack) {
  test::PostgresDatabase database;
  ASSERT_TRUE(database.ok());
  auto connection = connect(database);
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->execute("CREATE TABLE t (v TEXT PRIMARY KEY)").ok());
  {
    auto transaction = Transaction::begin(*connection);
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(connection->execute("INSERT INTO t VALUES ('a')").ok());
    auto twice = connection->execute("INSERT INTO t VALUES ('a')");
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().kind, ErrorKind::conflict) << twice.error().message;
  }  // not committed: rolled back
  auto rows = connection->query("SELECT count(*) FROM t");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(rows->integer(0, 0), 0);
}

TEST(PostgresConnectionTest, PoolReplacesAConnectionWhoseServerProcessWasKilled) {
  test::PostgresDatabase database;
  ASSERT_TRUE(database.ok());
  auto pool = ConnectionPool::open(database.conninfo());
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  std::string killed_pid;
  {
    auto lease = (*pool)->acquire();
    ASSERT_TRUE(lease.ok());
    auto pid = (*lease)->query("SELECT pg_backend_pid()::text");
    ASSERT_TRUE(pid.ok());
    killed_pid = pid->text(0, 0);
    // As an administrator restarting the server, or a failover, would: the session ends.
    auto other = connect(database);
    ASSERT_TRUE(other);
    ASSERT_TRUE(other->execute("SELECT pg_terminate_backend($1::integer)", {text(killed_pid)}).ok());
    auto lost = (*lease)->query("SELECT 1");
    ASSERT_FALSE(lost.ok());
    EXPECT_EQ(lost.error().kind, ErrorKind::unavailable) << lost.error().message;
    EXPECT_NE(lost.error().message.find("PostgreSQL"), std::string::npos) << lost.error().message;
  }
  auto lease = (*pool)->acquire();
  ASSERT_TRUE(lease.ok()) << lease.error().message;
  auto pid = (*lease)->query("SELECT pg_backend_pid()::text");
  ASSERT_TRUE(pid.ok()) << pid.error().message;
  EXPECT_NE(pid->text(0, 0), killed_pid) << "the broken connection was not lent again";
}

}  // namespace
}  // namespace vigie::store::postgres
