// AssessmentStore on SQLite (see assessment_store.h). Thread-safe: every call borrows its own
// connection. Attaching writes the fiche through the SqliteUseCaseStore, in one transaction.
#pragma once

#include "core/clock.h"
#include "store/assessment_store.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_use_case_store.h"

namespace vigie::store::sqlite {

class SqliteAssessmentStore final : public AssessmentStore {
 public:
  // Every reference must outlive the store.
  SqliteAssessmentStore(ConnectionPool& pool, SqliteUseCaseStore& use_cases, const Clock& clock, AssessmentLimits limits = {})
      : pool_(pool), use_cases_(use_cases), clock_(clock), limits_(limits) {}

  Result<std::pair<SavedAssessment, std::string>> create(std::string_view tool, std::string_view questionnaire_version,
                                                         std::string_view answers_json, const Actor& actor) override;
  Result<SavedAssessment> find(std::string_view token) override;
  Result<std::vector<AssessmentVersion>> versions(std::string_view token) override;
  Result<SavedAssessment> save(std::string_view token, std::string_view questionnaire_version, std::string_view answers_json,
                               std::int64_t expected_version, const domain::AssessmentSummary& summary,
                               const Actor& actor) override;
  Result<domain::UseCase> attach(std::string_view token, domain::UseCaseId use_case, bool published,
                                 const domain::AssessmentSummary& summary, const Actor& actor) override;

 private:
  ConnectionPool& pool_;
  SqliteUseCaseStore& use_cases_;
  const Clock& clock_;
  const AssessmentLimits limits_;
};

}  // namespace vigie::store::sqlite
