// For the fuzz targets that need a store: a SQLite library of a few published fiches in a
// scratch directory, made once per process and removed at exit. Not thread-safe (libFuzzer
// runs one input at a time).
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "domain/taxonomy.h"
#include "domain/use_case.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_use_case_store.h"

namespace vigie::fuzz {

struct Library {
  std::filesystem::path directory;
  domain::Taxonomies taxonomies;
  SystemClock clock;
  std::unique_ptr<store::sqlite::ConnectionPool> pool;
  std::unique_ptr<store::sqlite::SqliteUseCaseStore> store;
};

inline Library& library() {
  static Library* made = [] {
    auto* made_library = new Library;
    std::string pattern = (std::filesystem::temp_directory_path() / "vigie-fuzz-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) __builtin_trap();
    made_library->directory = pattern;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(library().directory, ignored);
    });
    auto taxonomies = domain::Taxonomies::load(std::filesystem::path(VIGIE_SOURCE_DIR) / "data" / "taxonomies");
    if (!taxonomies.ok()) __builtin_trap();
    made_library->taxonomies = std::move(taxonomies).value();
    auto pool = store::sqlite::ConnectionPool::open((made_library->directory / "vigie.db").string());
    if (!pool.ok()) __builtin_trap();
    made_library->pool = std::move(pool).value();
    auto db = made_library->pool->acquire();
    if (!db.ok() ||
        !(*db)->execute("INSERT INTO organisations (code, siren, kind, insee_code, name, search_key, population, department_code,"
                        " region_code, updated_at) VALUES ('213502388', '213502388', 'commune', '35238', 'Rennes', 'rennes', 227830,"
                        " '35', '53', '2026-01-01T00:00:00Z')")
             .ok()) {
      __builtin_trap();
    }
    made_library->store = std::make_unique<store::sqlite::SqliteUseCaseStore>(*made_library->pool, made_library->taxonomies, made_library->clock);
    for (const char* title : {"Détection des dépôts sauvages", "Agent conversationnel", "Tri du courrier", "Fuites d'eau"}) {
      domain::UseCase fiche;
      fiche.title = title;
      fiche.summary = "Une fiche pour le fuzzing.";
      fiche.owners = {"213502388"};
      fiche.domains = {"dechets-proprete"};
      fiche.purposes = {"detection"};
      fiche.techniques = {"vision"};
      fiche.target_users = {"agents"};
      fiche.status = "experimentation";
      fiche.publication_state = domain::kPublished;
      if (!made_library->store->create(std::move(fiche), store::Actor{"fuzz"}).ok()) __builtin_trap();
    }
    return made_library;
  }();
  return *made;
}

}  // namespace vigie::fuzz
