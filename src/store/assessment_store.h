// Saved assessments of the toolkit: the answers to one questionnaire (AI Act
// pre-classification, algorithmic impact assessment, fundamental-rights impact assessment)
// under a private, unguessable link, in versions that are never overwritten, optionally
// attached to a fiche. The store keeps answers only; the caller computes results with the
// assessment engine (src/assessment/) and hands the store the summary to show on the fiche.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/use_case.h"
#include "store/use_case_store.h"

namespace vigie::store {

struct AssessmentVersion {
  std::int64_t version = 0;  // 1, 2, …
  std::string questionnaire_version;
  std::string answers_json;  // a JSON object
  std::string saved_at;      // RFC 3339 UTC
};

struct SavedAssessment {
  std::int64_t id = 0;
  std::string tool;
  std::optional<domain::UseCaseId> use_case;  // the fiche it is attached to
  bool published = false;
  std::string created_at;
  AssessmentVersion latest;
};

// What saved assessments may take, since anyone may save one (README, "Anonymous writes").
struct AssessmentLimits {
  // The answers of one version, in bytes of their JSON document.
  std::size_t max_answers_bytes = 128 * 1024;
  // The answers of every version of every saved assessment, in bytes.
  std::int64_t max_total_bytes = 64 * 1024 * 1024;
  // Versions kept per unattached assessment (not attached to a fiche): the oldest beyond are
  // deleted when a new one is saved. An attached assessment keeps every version.
  std::int64_t versions_kept = 20;
};

class AssessmentStore {
 public:
  virtual ~AssessmentStore() = default;

  // A new assessment (version 1). Returns it and its private token, which the store does not
  // keep: the caller shows it once, in the link. `answers_json` must be a JSON object.
  // Limits (create and save): `too_large` when the answers exceed max_answers_bytes; when the
  // new version would bring the total over max_total_bytes, superseded versions (never the
  // latest) of unattached assessments are deleted, oldest saved first, in the same
  // transaction, until it fits; `exhausted`, with nothing deleted, when it cannot fit.
  virtual Result<std::pair<SavedAssessment, std::string>> create(std::string_view tool, std::string_view questionnaire_version,
                                                                 std::string_view answers_json, const Actor& actor) = 0;
  // The assessment behind `token`; not_found for any other token (same message, same time
  // whatever the token, so that links cannot be probed).
  virtual Result<SavedAssessment> find(std::string_view token) = 0;
  // Every version, oldest first.
  virtual Result<std::vector<AssessmentVersion>> versions(std::string_view token) = 0;
  // Saves new answers as the next version; `conflict` when `expected_version` is not the latest
  // (someone saved in between). When the assessment is attached, `summary` (computed by the
  // caller from these answers) replaces the fiche's summary for this tool in the same
  // transaction.
  virtual Result<SavedAssessment> save(std::string_view token, std::string_view questionnaire_version,
                                       std::string_view answers_json, std::int64_t expected_version,
                                       const domain::AssessmentSummary& summary, const Actor& actor) = 0;
  // Attaches the assessment to fiche `use_case` (detaching it from any other), with its latest
  // version's `summary`; `published` publishes the answers with the fiche. Returns the fiche.
  virtual Result<domain::UseCase> attach(std::string_view token, domain::UseCaseId use_case, bool published,
                                         const domain::AssessmentSummary& summary, const Actor& actor) = 0;
};

}  // namespace vigie::store
