// Schema migrations for PostgreSQL: numbered SQL files in src/store/migrations/postgres/, the
// same numbers as the SQLite ones (src/store/migrations/sqlite/), embedded in the binary at build
// time, each applied in its own transaction. The table vigie_schema_migrations records the
// applied ones. Several nodes may start at once: a session advisory lock lets one migrate while
// the others wait, then find nothing left to do.
#pragma once

#include "core/result.h"
#include "store/postgres/connection.h"

namespace vigie::store::postgres {

// The highest migration number this program knows.
int latest_schema_version();

// Applies the missing migrations; returns the resulting version. Fails with `unavailable` when
// the database is newer than this program.
Result<int> migrate(Connection& connection);

}  // namespace vigie::store::postgres
