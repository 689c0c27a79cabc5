// What every UseCaseStore backend does the same way, written once: the rules of a write
// (validation, dates, revisions; the change-sequence and audit-log entries are appended in the
// writing transaction), the order of an import batch, the rows derived from a fiche, the list
// cursors. A backend supplies UseCaseTables, the rows it reads and writes inside one open
// transaction, and its own SQL for the reads (sqlite/sqlite_use_case_store.h,
// postgres/postgres_use_case_store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/taxonomy.h"
#include "domain/use_case.h"
#include "store/use_case_store.h"

namespace vigie::store {

enum class WriteOperation { create, update, archive };
std::string_view operation_name(WriteOperation operation);

// What a backend stores for a fiche beside its document.
struct UseCaseRow {
  std::string title_key;  // text::fold(title): sort by title
  std::string slug;
  std::string document;   // the whole fiche, JSON (domain/use_case_json.h)
};

// The rows of one open write transaction of a backend.
class UseCaseTables {
 public:
  virtual ~UseCaseTables() = default;

  virtual Result<std::optional<domain::UseCase>> load(domain::UseCaseId id) = 0;
  virtual Result<bool> organisation_exists(const std::string& code) = 0;
  virtual Result<bool> use_case_exists(domain::UseCaseId id) = 0;
  // Inserts the row of a new fiche (revision 1, its document written by save()); its id.
  virtual Result<domain::UseCaseId> insert(const domain::UseCase& use_case, const UseCaseRow& row) = 0;
  // Writes fiche `use_case` (id and revision set): its row, the rows derived from it
  // (derived_terms(), owners, relations), the revision, then appends the change and the audit
  // entry for `operation` at `now`.
  virtual Status save(const domain::UseCase& use_case, const UseCaseRow& row, WriteOperation operation, const Actor& actor,
                      const std::string& now) = 0;
  // Removes every demonstration fiche and its rows, appending a `delete` change for each and
  // one audit entry.
  virtual Status delete_demo(const Actor& actor, const std::string& now) = 0;
};

// Validates (domain/use_case_validation.h, against the references the tables hold) and writes
// `use_case` as a new fiche or a new revision. `invalid` with the broken rules; nothing written.
Result<domain::UseCase> write_use_case(UseCaseTables& tables, const domain::Taxonomies& taxonomies, const Clock& clock,
                                       domain::UseCase use_case, WriteOperation operation, const Actor& actor,
                                       Timestamps timestamps = Timestamps::now);

// The current fiche `id`, if the caller read revision `expected`: else `conflict` (or
// `not_found`), the message ending with `verb` ("la modifier").
Result<domain::UseCase> load_for_change(UseCaseTables& tables, domain::UseCaseId id, std::int64_t expected,
                                        std::string_view verb);

// UseCaseStore::create, update and archive, and import_batch, inside the open transaction.
Result<domain::UseCase> create_use_case(UseCaseTables& tables, const domain::Taxonomies& taxonomies, const Clock& clock,
                                        domain::UseCase use_case, const Actor& actor, Timestamps timestamps);
Result<domain::UseCase> update_use_case(UseCaseTables& tables, const domain::Taxonomies& taxonomies, const Clock& clock,
                                        domain::UseCase use_case, std::int64_t expected_revision, const Actor& actor);
Result<domain::UseCase> archive_use_case(UseCaseTables& tables, const domain::Taxonomies& taxonomies, const Clock& clock,
                                         domain::UseCaseId id, std::int64_t expected_revision, const Actor& actor);
Result<std::vector<domain::UseCaseId>> import_use_cases(UseCaseTables& tables, const domain::Taxonomies& taxonomies,
                                                        const Clock& clock, std::vector<ImportItem> items,
                                                        const Actor& actor, Timestamps timestamps, ImportMode mode);
// Replaces fiche `id`'s summary for `tool` (or removes it when `summary` is empty), as a new
// revision.
Result<domain::UseCase> record_assessment_summary(UseCaseTables& tables, const domain::Taxonomies& taxonomies,
                                                  const Clock& clock, domain::UseCaseId id, std::string_view tool,
                                                  const std::optional<domain::AssessmentSummary>& summary,
                                                  const Actor& actor);

// The taxonomy codes a fiche is filtered and counted by: (taxonomy, code) pairs, the taxonomy
// being the API field name ('domaines', 'statut', …); empty codes left out.
std::vector<std::pair<std::string_view, std::string>> derived_terms(const domain::UseCase& use_case);

// The fiche stored as `document`; `internal` when it cannot be read.
Result<domain::UseCase> parse_document(const std::string& document);
// The codes of a JSON array of strings (a card's domains or owners); others skipped.
std::vector<std::string> json_codes(const std::string& array);
// "%text%" with LIKE's wildcards (and the escape character \) escaped.
std::string like_pattern(const std::string& text);
// A JSON array of `values`, as a parameter: invalid UTF-8 from a query string becomes U+FFFD
// instead of failing, and then matches nothing, which is the right answer.
std::string json_list(const std::vector<std::string>& values);
std::string json_list(const std::vector<domain::UseCaseId>& ids);

// List cursors: opaque to clients (base64url of the sort, the sort key and the id of the last
// row of a page).
std::string encode_cursor(UseCaseSort sort, const std::string& key, domain::UseCaseId id);
struct Cursor {
  std::string key;
  domain::UseCaseId id = 0;
};
// `invalid`, naming the field "curseur", for a cursor that is not one of ours or of another sort.
Result<Cursor> decode_cursor(UseCaseSort sort, const std::string& cursor);

}  // namespace vigie::store
