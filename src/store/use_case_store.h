// Where fiches are kept. One interface, one contract test suite (tests/store/), one
// implementation per backend: SQLite now (sqlite/sqlite_use_case_store.h), PostgreSQL later.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domain/use_case.h"

namespace vigie::store {

// Filters of the library: several values of one filter combine with OR, filters with AND.
struct UseCaseFilter {
  std::vector<std::string> domains;
  std::vector<std::string> techniques;
  std::vector<std::string> purposes;
  std::vector<std::string> statuses;
  std::vector<std::string> organisation_kinds;  // kind of at least one owner
  std::string owner;                            // organisation code
  std::string text;                             // words in the title or the fiche (until search lands)
  std::string publication_state = domain::kPublished;
};

enum class UseCaseSort { recent, title };

struct UseCaseListQuery {
  UseCaseFilter filter;
  UseCaseSort sort = UseCaseSort::recent;
  std::size_t limit = 20;
  std::size_t offset = 0;           // page-numbered lists (web pages)
  std::string after;                // opaque cursor from a previous page (API); overrides offset
};

struct UseCasePage {
  std::vector<domain::UseCase> items;
  std::int64_t total = 0;           // matching fiches, all pages
  std::string next_cursor;          // empty on the last page
};

// Who makes a change, for the audit log and revisions ("admin-token", "cli:demo", a user later).
struct Actor {
  std::string id;
};

enum class Timestamps { now, keep };
enum class ImportMode { append, replace_demo };  // keep: imports that carry their own creation dates

// One fiche of an import batch. Relations to other fiches of the same batch, whose ids are not
// known yet, are given by their position in the batch.
struct ImportItem {
  domain::UseCase use_case;
  std::string label;  // how errors name this item: "fiche « lannion-depots »", "ligne 12"
  struct BatchRelation {
    std::string type;
    std::size_t index = 0;  // position in the batch
  };
  std::vector<BatchRelation> batch_relations;
};

// One revision of a fiche, kept for ever: the number, when and by whom it was written.
struct Revision {
  std::int64_t revision = 0;
  std::string changed_at;  // RFC 3339
  std::string actor;
};

// One entry of the change sequence.
struct Change {
  std::int64_t sequence = 0;
  domain::UseCaseId id = 0;
  std::string operation;  // create, update, archive, delete
};

struct KeyFigures {
  std::int64_t published = 0;
  std::int64_t organisations = 0;   // distinct owners of published fiches
  std::int64_t domains = 0;         // distinct domains of published fiches
  std::int64_t in_production = 0;
  bool has_demo = false;            // some published fiche is demonstration data
};

// How another fiche relates to a fiche whose "Aussi déployé par" is shown.
enum class DeploymentLink {
  reuses_it,       // the other fiche declares it reuses this one ("reutilise")
  inspired_by_it,  // the other fiche declares it is inspired by this one ("inspire-de")
  reused_by_it,    // this fiche reuses the other: the other is the original
  inspired_it,     // this fiche is inspired by the other
  same_solution,   // same named provider's solution, in a shared domain
};

struct Deployment {
  domain::UseCase use_case;
  DeploymentLink link = DeploymentLink::same_solution;
};

class UseCaseStore {
 public:
  virtual ~UseCaseStore() = default;

  // The fiche whatever its publication state; `not_found` if none has this id.
  virtual Result<domain::UseCase> get(domain::UseCaseId id) = 0;
  virtual Result<UseCasePage> list(const UseCaseListQuery& query) = 0;
  // The fiches `ids` with only what a card in a list shows: id, title, summary, status,
  // domains, owners, updated_at, demo, publication state and revision (every other field
  // empty), in the order of `ids`; ids without a fiche are skipped. One read for a page of
  // results instead of one per fiche.
  virtual Result<std::vector<domain::UseCase>> cards(const std::vector<domain::UseCaseId>& ids) = 0;

  // Validates (domain/use_case_validation.h) and stores a new fiche, revision 1. Ignores the
  // given id and revision. `invalid` with the broken rules; nothing is written then.
  virtual Result<domain::UseCase> create(domain::UseCase use_case, const Actor& actor,
                                         Timestamps timestamps = Timestamps::now) = 0;
  // Replaces fiche `use_case.id` if its current revision is `expected_revision`, else
  // `conflict`. Validates first. Returns the stored fiche with its new revision.
  virtual Result<domain::UseCase> update(domain::UseCase use_case, std::int64_t expected_revision, const Actor& actor) = 0;
  // Sets the publication state to archived (same revision rule as update).
  virtual Result<domain::UseCase> archive(domain::UseCaseId id, std::int64_t expected_revision, const Actor& actor) = 0;

  // Creates every fiche of `items` in one transaction: all or nothing. With
  // ImportMode::replace_demo the demonstration fiches are first removed in that same
  // transaction. On a broken rule the error is `invalid`, its message naming the item (its
  // label) and its fields the broken rules. Fiches with batch relations are created, then
  // linked (revision 2).
  virtual Result<std::vector<domain::UseCaseId>> import_batch(std::vector<ImportItem> items, const Actor& actor,
                                                              Timestamps timestamps, ImportMode mode) = 0;

  // Published fiches sharing a domain or a technique with `id`, the most shared first.
  virtual Result<std::vector<domain::UseCase>> similar(domain::UseCaseId id, std::size_t limit) = 0;
  // Published fiches of the same system elsewhere: linked to `id` by reuse or inspiration, in
  // either direction, then the same named solution in a shared domain; each fiche once, with
  // its strongest link, declared links first, most recent first.
  virtual Result<std::vector<Deployment>> deployments(domain::UseCaseId id, std::size_t limit) = 0;
  // Providers' names of published fiches starting with `prefix` (case ignored), with their
  // number of fiches, most fiches first, at most `limit`: the search box suggests them.
  virtual Result<std::vector<std::pair<std::string, std::int64_t>>> provider_names(std::string_view prefix, std::size_t limit) = 0;
  // Published fiches owned by one of `owners`, except `except`, most recent first.
  virtual Result<std::vector<domain::UseCase>> by_owners(const std::vector<std::string>& owners,
                                                         domain::UseCaseId except, std::size_t limit) = 0;
  virtual Result<KeyFigures> key_figures() = 0;
  // Adds `views` (fiche id -> number of consultations) to the fiches' counts, in one
  // transaction; ids of fiches that no longer exist are ignored. Not a change of the fiches.
  virtual Status add_views(const std::map<domain::UseCaseId, std::int64_t>& views) = 0;
  // Published fiches most consulted first (ties: most recent first), at most `limit`; fiches
  // never consulted are not listed.
  virtual Result<std::vector<domain::UseCase>> most_viewed(std::size_t limit) = 0;
  // Every revision of fiche `id`, oldest first; empty when there is no such fiche.
  virtual Result<std::vector<Revision>> revisions(domain::UseCaseId id) = 0;
  // Last value of the change sequence (0 when nothing changed yet).
  virtual Result<std::int64_t> last_change() = 0;
  // Changes to fiches after `sequence`, oldest first, at most `limit`.
  virtual Result<std::vector<Change>> changes_after(std::int64_t sequence, std::size_t limit) = 0;
};

}  // namespace vigie::store
