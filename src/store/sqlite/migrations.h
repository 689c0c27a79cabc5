// Schema migrations: numbered SQL files in src/store/migrations/sqlite/ (the PostgreSQL ones,
// numbered alike, are in src/store/migrations/postgres/), embedded in the binary at build time,
// applied in order inside one transaction each. PRAGMA user_version records the last applied one.
#pragma once

#include "core/result.h"
#include "store/sqlite/database.h"

namespace vigie::store::sqlite {

// Brings the schema up to date. Returns the version reached. Fails with `unavailable` when the
// database is newer than this program (a downgrade), naming both versions.
Result<int> migrate(Database& db);

// The version this program's schema reaches.
int latest_schema_version();

}  // namespace vigie::store::sqlite
