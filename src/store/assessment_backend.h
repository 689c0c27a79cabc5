// What every AssessmentStore backend does the same way, written once: private tokens, the size
// and storage limits with their pruning rule, versions, attaching to a fiche (assessment_store.h
// for the contract). A backend supplies StoreTransaction: the tables of the fiches and of the
// assessments inside one open transaction, so that a write spanning both stores (saving an
// attached assessment rewrites the fiche) is one transaction reached through interfaces only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/taxonomy.h"
#include "store/assessment_store.h"
#include "store/use_case_backend.h"

namespace vigie::store {

// A superseded version the storage quota may delete.
struct PrunableVersion {
  std::int64_t assessment_id = 0;
  std::int64_t version = 0;
  std::int64_t bytes = 0;
};

// The assessments' rows of one open transaction of a backend.
class AssessmentTables {
 public:
  virtual ~AssessmentTables() = default;

  // The assessment whose token hashes to `token_hash`, with its latest version.
  virtual Result<std::optional<SavedAssessment>> load(const std::string& token_hash) = 0;
  // A new assessment row; its id.
  virtual Result<std::int64_t> insert(const std::string& token_hash, std::string_view tool, const std::string& created_at) = 0;
  virtual Status insert_version(std::int64_t id, const AssessmentVersion& version) = 0;
  // Every version of assessment `id`, oldest first.
  virtual Result<std::vector<AssessmentVersion>> versions(std::int64_t id) = 0;
  // The bytes of every stored version's answers.
  virtual Result<std::int64_t> stored_bytes() = 0;
  // Superseded versions (never an assessment's latest) of unattached assessments, oldest saved
  // first, at most `limit`.
  virtual Result<std::vector<PrunableVersion>> prunable_versions(std::size_t limit) = 0;
  virtual Status delete_version(std::int64_t id, std::int64_t version) = 0;
  // Deletes the versions of `id` up to `version`; how many there were.
  virtual Result<std::int64_t> delete_versions_up_to(std::int64_t id, std::int64_t version) = 0;
  virtual Status attach(std::int64_t id, domain::UseCaseId use_case, bool published) = 0;
  // The audit-log entry of `actor` doing `action` on assessment `id`, at `version`.
  virtual Status append_audit(const Actor& actor, std::string_view action, std::int64_t id, std::int64_t version,
                              const std::string& now) = 0;
};

// One open transaction of a backend, with the tables of each store in it. Rolled back unless
// committed.
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;
  virtual UseCaseTables& use_cases() = 0;
  virtual AssessmentTables& assessments() = 0;
  virtual Status commit() = 0;
};

enum class TransactionKind { read, write };
using BeginTransaction = std::function<Result<std::unique_ptr<StoreTransaction>>(TransactionKind)>;

// The AssessmentStore of every backend: the rules, over the tables of the backend's transactions.
class TransactionalAssessmentStore : public AssessmentStore {
 public:
  // `taxonomies` and `clock` outlive the store; `begin` opens a transaction on the backend.
  TransactionalAssessmentStore(BeginTransaction begin, const domain::Taxonomies& taxonomies, const Clock& clock,
                               AssessmentLimits limits)
      : begin_(std::move(begin)), taxonomies_(taxonomies), clock_(clock), limits_(limits) {}

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
  Status make_room(AssessmentTables& tables, std::int64_t bytes, const std::string& now);
  Status keep_latest_versions(AssessmentTables& tables, std::int64_t id, std::int64_t latest, const std::string& now);

  BeginTransaction begin_;
  const domain::Taxonomies& taxonomies_;
  const Clock& clock_;
  const AssessmentLimits limits_;
};

}  // namespace vigie::store
