// Online backups of the SQLite database, and the checks a file must pass before it is restored.
// Only the database is copied: the search index (data directory's index/) is derived from it
// and rebuilt by `vigie index` or at the start of `vigie serve`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/result.h"

namespace vigie::store::sqlite {

// What a database holds, to report a backup or a restore and to compare two databases.
struct DatabaseSummary {
  int schema_version = 0;
  std::int64_t use_cases = 0;
  std::int64_t assessments = 0;
  std::int64_t assessment_versions = 0;
  std::int64_t last_change = 0;  // the highest sequence of `changes`, 0 when none
  std::int64_t audit_entries = 0;
  std::uintmax_t file_bytes = 0;
};

// Copies the database at `source` to the new file `destination` with SQLite's online backup
// API (sqlite3_backup_*), in one step: the copy is one consistent snapshot of every committed
// transaction, those still in the write-ahead log included, while other connections (a running
// `vigie serve`) go on reading and writing. The copy is written beside `destination` under a
// temporary name, checked (integrity_check), switched out of WAL mode (one self-contained
// file), synced and renamed, so `destination` is never a partial file.
// Fails with `conflict` when `destination` exists, `not_found` when `source` does not,
// `unavailable` on I/O errors or when the source stays locked (5 s busy timeout), `invalid`
// when the copy fails its check.
Result<DatabaseSummary> backup_database(const std::filesystem::path& source, const std::filesystem::path& destination);

// Checks that `path` is a Vigie database this program can open: an SQLite file that passes
// PRAGMA integrity_check, with Vigie's tables and a schema version from 1 to
// latest_schema_version() (an older one is migrated on opening). Opens it read-only and changes
// nothing. Fails with `not_found` or `invalid`, in French, naming the problem.
Result<DatabaseSummary> check_database(const std::filesystem::path& path);

}  // namespace vigie::store::sqlite
