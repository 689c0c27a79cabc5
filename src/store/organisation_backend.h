// What every OrganisationDirectory backend does the same way, written once: how a search query
// is read (codes, SIRENs, name prefixes with "saint"/"st"), how matches are ranked, which
// organisations are a commune's parents, how peers are chosen, and how the territorial
// referential is written (which rows change, the word keys, the ranks). A backend supplies
// OrganisationRows, its SQL for the reads on one connection, and ReferentialTables, its SQL for
// the writes inside one open transaction (sqlite/sqlite_directory.h,
// postgres/postgres_directory.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/result.h"
#include "domain/organisation.h"
#include "domain/search_rank.h"
#include "store/organisation_directory.h"

namespace vigie::store {

// Keys compared as bytes: `from <= key < to`. An empty range (from == to == "") matches nothing.
struct KeyRange {
  std::string from;
  std::string to;
};

// A row of organisation_words that may be a typo of a whole name (closest_names()).
struct NameCandidate {
  std::string word_key;
  std::string code;
  std::int64_t rank = 0;
};

// The reads of a backend, on one connection used by one thread.
class OrganisationRows {
 public:
  virtual ~OrganisationRows() = default;

  virtual Result<std::optional<domain::Organisation>> by_code(std::string_view code) = 0;
  virtual Result<std::vector<domain::Organisation>> by_siren(const std::string& siren) = 0;
  // Those with postal code `code` or INSEE code `code`, in any order.
  virtual Result<std::vector<domain::Organisation>> by_postal_or_insee_code(const std::string& code) = 0;
  // The organisation codes of at most `fetch` rows of organisation_words whose word_key lies in
  // one of `ranges` (exactly three, unused ones empty), ordered by sort key then code: the sort
  // key is exact_rank for a first word equal to `key`, rank otherwise. A code may repeat.
  virtual Result<std::vector<std::string>> word_matches(const std::string& key, const std::vector<KeyRange>& ranges,
                                                        std::size_t fetch) = 0;
  // The first words (whole names) in `range` whose length in characters is within [min, max].
  virtual Result<std::vector<NameCandidate>> first_words(const KeyRange& range, std::size_t min_length,
                                                         std::size_t max_length) = 0;
  // The communes of EPCI `epci_code` sorted by search key, name and code.
  virtual Result<std::vector<domain::Organisation>> epci_communes(const std::string& epci_code) = 0;
  // The organisations whose parent is commune `code`, sorted by INSEE code, search key, code.
  virtual Result<std::vector<domain::Organisation>> attached_to(const std::string& code) = 0;
  virtual Result<std::map<std::string, std::int64_t>> count_by_kind() = 0;
  // The organisations of `kind` other than `excluded_code` owning published fiches, with their
  // number, in any order.
  virtual Result<std::vector<OrganisationPeer>> with_published_fiches(const std::string& kind,
                                                                      const std::string& excluded_code) = 0;
};

// OrganisationDirectory's methods over a backend's rows (their contracts are written there).
Result<domain::Organisation> find_organisation(OrganisationRows& rows, std::string_view code);
Result<std::vector<domain::Organisation>> search_organisations(OrganisationRows& rows, std::string_view query,
                                                               std::size_t limit);
Result<std::vector<domain::Organisation>> closest_organisation_names(OrganisationRows& rows, std::string_view query,
                                                                     std::size_t limit);
Result<std::vector<domain::Organisation>> organisation_parents(OrganisationRows& rows,
                                                               const domain::Organisation& organisation);
Result<std::vector<domain::Organisation>> organisation_members(OrganisationRows& rows,
                                                               const domain::Organisation& organisation);
Result<std::vector<OrganisationPeer>> organisation_peers(OrganisationRows& rows, const domain::Organisation& organisation,
                                                         std::size_t limit);

// What the store holds of an organisation before a referential is written.
struct StoredOrganisationKeys {
  std::string search_key;
  std::string kind;
  std::optional<std::int64_t> population;
  std::string postal_codes;
  bool has_words = false;  // false for organisations loaded before organisation_words existed
};

// An organisation of the referential as its rows store it.
struct OrganisationRow {
  const domain::Organisation* organisation = nullptr;
  std::string search_key;    // text::place_key(name)
  std::string postal_codes;  // space-separated
  domain::SearchRank rank;
  bool stored_before = false;  // a row existed: its postal codes and words must be removed first
};

// The writes of a backend inside one open transaction.
class ReferentialTables {
 public:
  virtual ~ReferentialTables() = default;

  virtual Result<std::unordered_map<std::string, StoredOrganisationKeys>> stored_keys() = 0;
  // Inserts each row, or updates it when one of its values or `version` differs (an unchanged
  // row keeps its updated_at); the codes of the rows inserted or updated. Rows come in the
  // referential's order, a parent before the organisations that name it.
  virtual Result<std::unordered_set<std::string>> upsert(const std::vector<OrganisationRow>& rows,
                                                         std::string_view version, std::string_view now) = 0;
  // Replaces the postal codes of each row by its organisation's.
  virtual Status replace_postal_codes(const std::vector<const OrganisationRow*>& rows) = 0;
  // Replaces the word keys of each row (word_keys() of its search key) with its ranks.
  virtual Status replace_words(const std::vector<const OrganisationRow*>& rows) = 0;
  // Records `version` of `source` loaded at `now`; unchanged when it is already that version.
  virtual Status record_source(std::string_view source, std::string_view version, std::string_view now) = 0;
};

// Writes `organisations` (version `version` of the referential `source`) through `tables`, see
// OrganisationDirectory::write_referential; the number of organisations inserted or changed.
Result<std::int64_t> write_referential(ReferentialTables& tables, std::string_view source, std::string_view version,
                                       const std::vector<domain::Organisation>& organisations, std::string_view now);

// One row of organisation_words per word of `search_key`: the key from that word on, and
// whether it is the first word ("villeneuve st georges": "villeneuve st georges" first,
// "st georges", "georges").
struct WordKey {
  std::string_view key;
  bool first_word = false;
};
std::vector<WordKey> word_keys(std::string_view search_key);

// Postal codes as the organisations table stores them, space-separated, and back.
std::string join_postal_codes(const std::vector<std::string>& postal_codes);
std::vector<std::string> split_postal_codes(std::string_view joined);

}  // namespace vigie::store
