// Helpers for the territory tests: the real referential package from node_modules, migrated
// databases in temporary directories, altered copies of the package, table dumps.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
#include "tests/support/temp_dir.h"

namespace vigie::territory::test_support {

inline std::filesystem::path package_dir() {
  return test::source_dir() / "node_modules" / "@etalab" / "decoupage-administratif";
}

// A migrated database in its own temporary directory. Check `db` before use: creation failures
// are recorded as test failures, not thrown.
struct TestDatabase {
  test::TempDir dir;
  std::unique_ptr<store::sqlite::Database> db;

  TestDatabase() {
    auto opened = store::sqlite::Database::open(dir.file("vigie.db"));
    if (!opened.ok()) {
      ADD_FAILURE() << opened.error().message;
      return;
    }
    db = std::move(opened).value();
    auto migrated = store::sqlite::migrate(*db);
    if (!migrated.ok()) {
      ADD_FAILURE() << migrated.error().message;
      db.reset();
    }
  }
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

inline void write_file(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

// Copies package.json and data/*.json of the real package into `to`.
inline void copy_package(const std::filesystem::path& to) {
  std::filesystem::create_directories(to / "data");
  std::filesystem::copy_file(package_dir() / "package.json", to / "package.json");
  for (const char* name : {"regions.json", "departements.json", "communes.json", "epci.json", "ept.json"}) {
    std::filesystem::copy_file(package_dir() / "data" / name, to / "data" / name);
  }
}

// Replaces the only occurrence of `from` in the file; a test failure if there is none.
inline void replace_in_file(const std::filesystem::path& path, std::string_view from, std::string_view to) {
  std::string content = read_file(path);
  const std::size_t at = content.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << path;
  content.replace(at, from.size(), to);
  write_file(path, content);
}

// Every row of the organisations tables and of referential_sources, as text in a stable order,
// to compare a database before and after an operation.
inline std::string dump_referential_tables(store::sqlite::Database& db) {
  std::string dump;
  for (const char* sql : {
           "SELECT quote(code) || quote(siren) || quote(kind) || quote(insee_code) || quote(name) || "
           "quote(search_key) || quote(population) || quote(department_code) || quote(region_code) || "
           "quote(parent_code) || quote(epci_code) || quote(epci_kind) || quote(zone) || quote(postal_codes) || "
           "quote(source_version) || quote(updated_at) FROM organisations ORDER BY code",
           "SELECT postal_code || ' ' || organisation_code FROM organisation_postal_codes "
           "ORDER BY postal_code, organisation_code",
           "SELECT word_key || ' ' || organisation_code || ' ' || first_word || ' ' || rank || ' ' || exact_rank "
           "FROM organisation_words ORDER BY word_key, organisation_code",
           "SELECT source || ' ' || version || ' ' || loaded_at FROM referential_sources ORDER BY source",
       }) {
    auto statement = db.prepare(sql);
    if (!statement.ok()) {
      ADD_FAILURE() << statement.error().message;
      return {};
    }
    while (true) {
      auto row = statement->step();
      if (!row.ok() || !*row) break;
      dump += statement->column_text(0);
      dump += '\n';
    }
    dump += "--\n";
  }
  return dump;
}

}  // namespace vigie::territory::test_support
