// AssessmentStore on PostgreSQL: the shared rules (store/assessment_backend.h) over PostgreSQL's
// tables. Thread-safe: every call borrows its own connection. Attaching writes the fiche in the
// same transaction, through the fiches' tables.
#pragma once

#include "core/clock.h"
#include "store/assessment_backend.h"
#include "store/postgres/connection.h"
#include "store/postgres/postgres_use_case_store.h"

namespace vigie::store::postgres {

class PostgresAssessmentStore final : public TransactionalAssessmentStore {
 public:
  // Every reference must outlive the store.
  PostgresAssessmentStore(ConnectionPool& pool, const PostgresUseCaseStore& use_cases, const Clock& clock,
                          AssessmentLimits limits = {});
};

}  // namespace vigie::store::postgres
