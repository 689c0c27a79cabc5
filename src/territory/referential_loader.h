// Loads the territorial referential (@etalab/decoupage-administratif) into the store, whatever
// its backend (store::OrganisationDirectory::write_referential).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/organisation_directory.h"

namespace vigie::territory {

// The `source` of the referential in `referential_sources`.
inline constexpr std::string_view kReferentialSource = "@etalab/decoupage-administratif";

struct LoadReport {
  std::string version;                                 // version of the package loaded
  std::map<std::string, std::int64_t> counts_by_kind;  // organisations in the package, by kind
  std::int64_t organisations_written = 0;              // rows inserted or changed (0 on a reload)
  std::chrono::milliseconds elapsed{0};                // reading and writing, end to end
};

// Reads the package at `package_dir` (see referential_reader.h for what becomes what) and writes
// every organisation in one transaction, all or nothing (see write_referential for which rows
// change: loading the same version again writes nothing; organisations absent from the package
// are kept).
//
// Fails with `unavailable` or `invalid` (French message naming the file) when the package cannot
// be read, before touching the store; with the store's error (e.g. `conflict` for two
// organisations with one SIREN) when a write fails, after rolling everything back.
Result<LoadReport> load_referential(store::OrganisationDirectory& organisations, const std::filesystem::path& package_dir,
                                    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace vigie::territory
