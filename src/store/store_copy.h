// `vigie copy-store`: a whole instance copied from one store to another, SQLite to PostgreSQL or
// back, in one transaction on the target, then checked.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace vigie::store {

struct CopyReport {
  std::map<std::string, std::int64_t> rows;  // table -> rows copied (and found on both sides)
  std::string fiches_checksum;               // BLAKE2b of every fiche's id and document, by id
};

// Copies every row of every table of the store at `from` into the store at `to`, which is
// created and migrated if need be and must hold no organisation, fiche or assessment (`conflict`
// otherwise, in French, naming what it holds). The source is read in one snapshot; the target
// is written in one transaction, so it gets everything or nothing. Then checks, in both stores,
// the number of rows of each table and a checksum of every fiche document (`internal`, naming the
// table, if they differ). The search index is not copied: `vigie index` (or the server at start)
// builds it from the target.
Result<CopyReport> copy_store(const StoreLocation& from, const StoreLocation& to);

}  // namespace vigie::store
