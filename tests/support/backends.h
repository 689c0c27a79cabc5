// The store's backends in tests. A contract suite is written once, value-parameterised over
// Backend, and observes only through the store interfaces (store/*.h); BackendStore gives each
// test a fresh, empty, migrated store:
// - SQLite: a file in a temporary directory;
// - PostgreSQL: a database created for the test on the run's throw-away server and dropped after
//   it. The server's connection string is VIGIE_TEST_POSTGRES, set by scripts/run-tests.sh
//   (scripts/postgres.sh start DIR prints one for a manual run). Without it the PostgreSQL
//   cases fail, saying so: a contract never silently runs on one backend only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/clock.h"
#include "store/instance.h"
#include "store/postgres/connection.h"
#include "store/postgres/postgres_assessment_store.h"
#include "store/postgres/postgres_audit_log.h"
#include "store/postgres/postgres_directory.h"
#include "store/postgres/postgres_instance.h"
#include "store/postgres/postgres_use_case_store.h"
#include "store/sqlite/audit.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_assessment_store.h"
#include "store/sqlite/sqlite_directory.h"
#include "store/sqlite/sqlite_instance.h"
#include "store/sqlite/sqlite_use_case_store.h"
#include "store/store.h"
#include "store/use_case_store.h"
#include "tests/support/fixtures.h"

namespace vigie::test {

enum class Backend { sqlite, postgres };

inline std::string backend_name(const testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "SQLite" : "PostgreSQL";
}

// The libpq connection string of the run's PostgreSQL server, or "" (and a test failure).
inline std::string postgres_server() {
  const char* conninfo = std::getenv("VIGIE_TEST_POSTGRES");
  if (conninfo == nullptr || *conninfo == '\0') {
    ADD_FAILURE() << "VIGIE_TEST_POSTGRES is not set: run the tests through scripts/run-tests.sh, or start a server "
                     "with `scripts/postgres.sh start DIR` and export the connection string it prints";
    return {};
  }
  return conninfo;
}

// A database of its own on the run's PostgreSQL server, dropped at the end of the test: empty,
// or a copy of database `copy_of` (CREATE DATABASE … TEMPLATE, a file copy on the server).
class PostgresDatabase {
 public:
  explicit PostgresDatabase(const std::string& copy_of = "") {
    static std::atomic<int> counter{0};
    server_ = postgres_server();
    if (server_.empty()) return;
    name_ = "vigie_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    auto admin = store::postgres::Connection::open(server_);
    if (!admin.ok()) {
      ADD_FAILURE() << "PostgreSQL server of the test run: " << admin.error().message;
      return;
    }
    // A database name cannot be a bound parameter; this one is made of digits and letters of ours.
    auto created = (*admin)->execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    if (created.ok()) created = (*admin)->execute("CREATE DATABASE " + name_ + (copy_of.empty() ? "" : " TEMPLATE " + copy_of));
    if (!created.ok()) {
      ADD_FAILURE() << "CREATE DATABASE " << name_ << ": " << created.error().message;
      return;
    }
    conninfo_ = server_ + " dbname=" + name_;  // libpq: the last value of a keyword wins
  }
  ~PostgresDatabase() {
    if (conninfo_.empty()) return;
    if (auto admin = store::postgres::Connection::open(server_); admin.ok()) {
      (void)(*admin)->execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }
  }
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  bool ok() const { return !conninfo_.empty(); }
  const std::string& conninfo() const { return conninfo_; }
  const std::string& name() const { return name_; }
  const std::string& server() const { return server_; }
  // Keeps the database after the test (a template other tests copy).
  void keep() { conninfo_.clear(); }

 private:
  std::string server_;
  std::string name_;
  std::string conninfo_;
};

// A fresh store on one backend, its clock fixed at 2026-03-01 (advance it with clock()). `ok()`
// is false (and the test has failed) when it could not be made; check it with ASSERT_TRUE first.
class BackendStore {
 public:
  // On PostgreSQL, the store may start as a copy of database `postgres_copy_of`.
  explicit BackendStore(Backend backend, const std::string& postgres_copy_of = "") {
    if (backend == Backend::sqlite) {
      auto pool = store::sqlite::ConnectionPool::open(dir_.file("vigie.db"));
      if (!pool.ok()) {
        ADD_FAILURE() << "SQLite: " << pool.error().message;
        return;
      }
      sqlite_pool_ = std::move(pool).value();
      instance_ = std::make_unique<store::sqlite::SqliteInstance>(*sqlite_pool_);
      use_cases_ = std::make_unique<store::sqlite::SqliteUseCaseStore>(*sqlite_pool_, taxonomies(), clock_);
      audit_log_ = std::make_unique<store::sqlite::SqliteAuditLog>(*sqlite_pool_);
      organisations_ = std::make_unique<store::sqlite::SqliteDirectory>(*sqlite_pool_);
    } else {
      postgres_ = std::make_unique<PostgresDatabase>(postgres_copy_of);
      if (!postgres_->ok()) return;
      auto pool = store::postgres::ConnectionPool::open(postgres_->conninfo());
      if (!pool.ok()) {
        ADD_FAILURE() << "PostgreSQL: " << pool.error().message;
        return;
      }
      postgres_pool_ = std::move(pool).value();
      instance_ = std::make_unique<store::postgres::PostgresInstance>(*postgres_pool_);
      use_cases_ = std::make_unique<store::postgres::PostgresUseCaseStore>(*postgres_pool_, taxonomies(), clock_);
      audit_log_ = std::make_unique<store::postgres::PostgresAuditLog>(*postgres_pool_);
      organisations_ = std::make_unique<store::postgres::PostgresDirectory>(*postgres_pool_);
    }
  }

  bool ok() const { return instance_ != nullptr; }
  Backend backend() const { return sqlite_pool_ ? Backend::sqlite : Backend::postgres; }
  store::Instance& instance() { return *instance_; }
  // A new assessment store with `limits`, writing fiches through use_cases().
  std::unique_ptr<store::AssessmentStore> assessments(store::AssessmentLimits limits = {}) {
    if (sqlite_pool_) {
      return std::make_unique<store::sqlite::SqliteAssessmentStore>(
          *sqlite_pool_, static_cast<store::sqlite::SqliteUseCaseStore&>(*use_cases_), clock_, limits);
    }
    return std::make_unique<store::postgres::PostgresAssessmentStore>(
        *postgres_pool_, static_cast<store::postgres::PostgresUseCaseStore&>(*use_cases_), clock_, limits);
  }
  store::UseCaseStore& use_cases() { return *use_cases_; }
  store::AuditLog& audit_log() { return *audit_log_; }
  store::OrganisationDirectory& organisations() { return *organisations_; }
  FixedClock& clock() { return clock_; }
  // Where the store lives, as VIGIE_DATABASE_URL gives it.
  store::StoreLocation location() const {
    if (sqlite_pool_) return store::sqlite_location(dir_.file("vigie.db"));
    return store::parse_store_location(postgres_->conninfo()).value();
  }
  // The PostgreSQL database, or nullptr on SQLite.
  PostgresDatabase* postgres_database() { return postgres_.get(); }
  // Closes every connection to the store (nothing may be used after).
  void close() {
    organisations_.reset();
    audit_log_.reset();
    use_cases_.reset();
    instance_.reset();
    postgres_pool_.reset();
    sqlite_pool_.reset();
  }

  // Test set-up (organisations, until the referential has a backend-neutral writer) and the
  // few observations no interface offers, in SQL that both backends read alike.
  Status execute(const std::string& sql) {
    if (sqlite_pool_) {
      auto db = sqlite_pool_->acquire();
      if (!db.ok()) return db.error();
      return (*db)->execute(sql);
    }
    auto connection = postgres_pool_->acquire();
    if (!connection.ok()) return connection.error();
    return (*connection)->execute(sql);
  }
  std::int64_t count(const std::string& sql) {
    if (sqlite_pool_) {
      auto db = sqlite_pool_->acquire();
      auto statement = (*db)->prepare(sql);
      EXPECT_TRUE(statement.ok()) << sql;
      if (!statement.ok() || !statement->step().value()) return -1;
      return statement->column_int(0);
    }
    auto connection = postgres_pool_->acquire();
    auto rows = (*connection)->query(sql);
    EXPECT_TRUE(rows.ok()) << sql << ": " << (rows.ok() ? "" : rows.error().message);
    return rows.ok() && !rows->empty() ? rows->integer(0, 0) : -1;
  }
  // Every row `sql` selects, a line each, its columns separated by '|' and NULL written "∅": to
  // compare a store before and after an operation.
  std::string rows_text(const std::string& sql) {
    std::string text;
    if (sqlite_pool_) {
      auto db = sqlite_pool_->acquire();
      auto statement = (*db)->prepare(sql);
      EXPECT_TRUE(statement.ok()) << sql;
      if (!statement.ok()) return {};
      while (true) {
        auto has_row = statement->step();
        EXPECT_TRUE(has_row.ok()) << sql;
        if (!has_row.ok() || !*has_row) break;
        for (int column = 0; column < statement->column_count(); ++column) {
          text += statement->column_is_null(column) ? "∅" : statement->column_text(column);
          text += '|';
        }
        text += '\n';
      }
      return text;
    }
    auto connection = postgres_pool_->acquire();
    auto rows = (*connection)->query(sql);
    EXPECT_TRUE(rows.ok()) << sql << ": " << (rows.ok() ? "" : rows.error().message);
    if (!rows.ok()) return {};
    for (int row = 0; row < rows->size(); ++row) {
      for (int column = 0; column < rows->columns(); ++column) {
        text += rows->is_null(row, column) ? "∅" : rows->text(row, column);
        text += '|';
      }
      text += '\n';
    }
    return text;
  }
  // Runs `sql` in a write transaction left open until the returned object is destroyed.
  std::shared_ptr<void> open_write(const std::string& sql) {
    if (sqlite_pool_) {
      struct Held {
        store::sqlite::ConnectionPool::Lease db;
        std::optional<store::sqlite::Transaction> transaction;
      };
      auto held = std::make_shared<Held>(Held{sqlite_pool_->acquire().value(), std::nullopt});
      held->transaction.emplace(store::sqlite::Transaction::begin(*held->db).value());
      EXPECT_TRUE(held->db->execute(sql).ok()) << sql;
      return held;
    }
    struct Held {
      store::postgres::ConnectionPool::Lease connection;
      std::optional<store::postgres::Transaction> transaction;
    };
    auto held = std::make_shared<Held>(Held{postgres_pool_->acquire().value(), std::nullopt});
    held->transaction.emplace(store::postgres::Transaction::begin(*held->connection).value());
    EXPECT_TRUE(held->connection->execute(sql).ok()) << sql;
    return held;
  }

 private:
  TempDir dir_;
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1}};
  std::unique_ptr<PostgresDatabase> postgres_;  // dropped after the pools below are closed
  std::unique_ptr<store::sqlite::ConnectionPool> sqlite_pool_;
  std::unique_ptr<store::postgres::ConnectionPool> postgres_pool_;
  std::unique_ptr<store::Instance> instance_;
  std::unique_ptr<store::UseCaseStore> use_cases_;
  std::unique_ptr<store::AuditLog> audit_log_;
  std::unique_ptr<store::OrganisationDirectory> organisations_;
};

}  // namespace vigie::test
