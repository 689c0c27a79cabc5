// Helpers for the territory tests: the real referential package from node_modules, altered
// copies of it, table dumps.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "tests/support/backends.h"
#include "tests/support/referential.h"

namespace vigie::territory::test_support {

inline std::filesystem::path package_dir() { return test::referential_package(); }

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
// to compare a store before and after an operation.
inline std::string dump_referential_tables(test::BackendStore& store) {
  std::string dump;
  for (const char* sql : {
           "SELECT code, siren, kind, insee_code, name, search_key, population, department_code, region_code, "
           "parent_code, epci_code, epci_kind, zone, postal_codes, source_version, updated_at "
           "FROM organisations ORDER BY code",
           "SELECT postal_code, organisation_code FROM organisation_postal_codes ORDER BY postal_code, organisation_code",
           "SELECT word_key, organisation_code, first_word, rank, exact_rank FROM organisation_words "
           "ORDER BY word_key, organisation_code",
           "SELECT source, version, loaded_at FROM referential_sources ORDER BY source",
       }) {
    dump += store.rows_text(sql);
    dump += "--\n";
  }
  return dump;
}

}  // namespace vigie::territory::test_support
