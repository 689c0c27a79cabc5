// Loads the territorial referential (@etalab/decoupage-administratif) into the organisations
// tables: `organisations`, `organisation_postal_codes`, `organisation_words` and the version in
// `referential_sources`.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/sqlite/database.h"

namespace vigie::territory {

// The `source` of the referential in `referential_sources`.
inline constexpr std::string_view kReferentialSource = "@etalab/decoupage-administratif";

struct LoadReport {
  std::string version;                                 // version of the package loaded
  std::map<std::string, std::int64_t> counts_by_kind;  // organisations in the package, by kind
  std::int64_t organisations_written = 0;              // rows inserted or changed (0 on a reload)
  std::chrono::milliseconds elapsed{0};                // reading and writing, end to end
};

// Reads the package at `package_dir` (see referential_reader.h for what becomes what) and
// upserts every organisation by code in one transaction: all or nothing.
//
// - A row is rewritten only when one of its values, or the package version, differs; loading
//   the same version again writes nothing. `source_version` is the version that last wrote or
//   confirmed the row, `updated_at` (`now`, RFC 3339 UTC) when that happened.
// - Organisations absent from the package are kept untouched (fiches may name them); they are
//   the rows whose source_version is older than the version in referential_sources.
// - Postal codes are rewritten only for organisations whose postal codes changed, word keys
//   only for those whose name, kind or population changed.
//
// Preconditions: `db` is migrated (store/sqlite/migrations.h) and no transaction is open on it.
// Fails with `unavailable` or `invalid` (French message naming the file) when the package cannot
// be read, before touching the database; with the store's error (e.g. `conflict` for two
// organisations with one SIREN) when a write fails, after rolling everything back.
Result<LoadReport> load_referential(store::sqlite::Database& db, const std::filesystem::path& package_dir,
                                    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace vigie::territory
