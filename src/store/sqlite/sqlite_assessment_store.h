// AssessmentStore on SQLite: the shared rules (store/assessment_backend.h) over SQLite's tables.
// Thread-safe: every call borrows its own connection. Attaching writes the fiche in the same
// transaction, through the fiches' tables.
#pragma once

#include "core/clock.h"
#include "store/assessment_backend.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_use_case_store.h"

namespace vigie::store::sqlite {

class SqliteAssessmentStore final : public TransactionalAssessmentStore {
 public:
  // Every reference must outlive the store.
  SqliteAssessmentStore(ConnectionPool& pool, const SqliteUseCaseStore& use_cases, const Clock& clock, AssessmentLimits limits = {});
};

}  // namespace vigie::store::sqlite
