// The real territorial referential in tests: its package (node_modules), and a store of each
// backend holding it, loaded once per test process and shared by the tests that only read it.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "store/postgres/migrations.h"
#include "territory/referential_loader.h"
#include "tests/support/backends.h"
#include "tests/support/temp_dir.h"

namespace vigie::test {

// When the stores of new_store_with_referential() say the referential was loaded.
inline const std::chrono::system_clock::time_point kReferentialLoadedAt =
    std::chrono::sys_days{std::chrono::May / 1 / 2024} + std::chrono::hours(8);

inline std::filesystem::path referential_package() {
  return source_dir() / "node_modules" / "@etalab" / "decoupage-administratif";
}

// A fresh store of `backend` holding the real referential loaded at kReferentialLoadedAt, or
// nullptr (and a test failure).
//
// CTest runs each test in a process of its own, and loading the referential into PostgreSQL
// takes seconds: the first process of a run loads it once into a template database, under an
// advisory lock, and every store is then a copy of it (a file copy on the server). The
// template's name carries the schema version; the run's server is thrown away with the run.
inline std::unique_ptr<BackendStore> new_store_with_referential(Backend backend) {
  std::string copy_of;
  if (backend == Backend::postgres) {
    const std::string server = postgres_server();
    if (server.empty()) return nullptr;
    auto admin = store::postgres::Connection::open(server);
    if (!admin.ok()) {
      ADD_FAILURE() << "PostgreSQL server of the test run: " << admin.error().message;
      return nullptr;
    }
    copy_of = "vigie_test_referential_s" + std::to_string(store::postgres::latest_schema_version());
    constexpr const char* kTemplateLock = "SELECT pg_advisory_lock(740101)";
    if (auto locked = (*admin)->execute(kTemplateLock); !locked.ok()) {
      ADD_FAILURE() << locked.error().message;
      return nullptr;
    }
    auto exists = (*admin)->query("SELECT 1 FROM pg_database WHERE datname = $1", {store::postgres::text(copy_of)});
    if (!exists.ok()) {
      ADD_FAILURE() << exists.error().message;
      return nullptr;
    }
    if (exists->empty()) {
      BackendStore building(Backend::postgres);
      if (!building.ok()) return nullptr;
      auto report = territory::load_referential(building.organisations(), referential_package(), kReferentialLoadedAt);
      if (!report.ok()) {
        ADD_FAILURE() << "loading the referential: " << report.error().message;
        return nullptr;
      }
      const std::string built = building.postgres_database()->name();
      building.close();
      building.postgres_database()->keep();
      // The server ends the closed connections' processes asynchronously: a rename refused
      // because the database is "being accessed by other users" is tried again.
      Status renamed;
      for (int attempt = 0; attempt < 50; ++attempt) {
        renamed = (*admin)->execute("ALTER DATABASE " + built + " RENAME TO " + copy_of);
        if (renamed.ok()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (!renamed.ok()) {
        ADD_FAILURE() << renamed.error().message;
        return nullptr;
      }
    }
    (void)(*admin)->execute("SELECT pg_advisory_unlock(740101)");
  }
  auto store = std::make_unique<BackendStore>(backend, copy_of);
  if (!store->ok()) return nullptr;
  if (backend == Backend::sqlite) {
    auto report = territory::load_referential(store->organisations(), referential_package(), kReferentialLoadedAt);
    if (!report.ok()) {
      ADD_FAILURE() << "loading the referential: " << report.error().message;
      return nullptr;
    }
  }
  return store;
}

// A store of `backend` holding the real referential, shared by the tests of this process that
// only read it; nullptr (and a test failure) when it could not be made.
inline BackendStore* store_with_referential(Backend backend) {
  static std::map<Backend, std::unique_ptr<BackendStore>> stores;
  auto& store = stores[backend];
  if (!store) store = new_store_with_referential(backend);
  return store.get();
}

}  // namespace vigie::test
