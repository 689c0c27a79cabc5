#include "store/organisation_backend.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <iterator>
#include <utility>

#include "core/text.h"
#include "domain/organisation_codes.h"

namespace vigie::store {

namespace {

using domain::Organisation;
namespace kind = domain::kind;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Ranges of a name search: see name_prefixes().
constexpr std::size_t kMaxNamePrefixes = 3;

// What a search query is.
enum class QueryShape { name, postal_or_insee_code, siren };

struct ClassifiedQuery {
  QueryShape shape = QueryShape::name;
  std::string code;  // postal/INSEE code or SIREN, for the code shapes
};

ClassifiedQuery classify(std::string_view query) {
  // Digits, possibly grouped by spaces as people write SIRENs: "213 502 388".
  if (!query.empty() && std::all_of(query.begin(), query.end(), [](char c) { return is_digit(c) || c == ' '; })) {
    std::string digits;
    std::copy_if(query.begin(), query.end(), std::back_inserter(digits), is_digit);
    if (digits.size() == 5) return {QueryShape::postal_or_insee_code, digits};
    if (digits.size() == 9) return {QueryShape::siren, digits};
  }
  // Corsican INSEE codes: 2A001…2B366.
  if (query.size() == 5 && query[0] == '2' && (query[1] == 'A' || query[1] == 'B' || query[1] == 'a' || query[1] == 'b') &&
      is_digit(query[2]) && is_digit(query[3]) && is_digit(query[4])) {
    std::string code(query);
    code[1] = query[1] == 'a' || query[1] == 'A' ? 'A' : 'B';
    return {QueryShape::postal_or_insee_code, code};
  }
  return {QueryShape::name, {}};
}

// The smallest string greater than every string that starts with `prefix`, for the range
// `key >= prefix AND key < successor(prefix)` that an index answers. Keys compare as bytes
// (BINARY collation). Place keys are valid UTF-8, so they hold no 0xFF byte and the last byte
// can always be incremented; the loop only keeps the function total.
std::string successor(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

// Letters and digits as text::place_key sees them in folded text.
bool is_word_byte(char c) {
  return (c >= 'a' && c <= 'z') || is_digit(c) || static_cast<unsigned char>(c) >= 0x80;
}

// The prefixes a name query stands for, at most kMaxNamePrefixes.
//
// Usually just its place key. But place keys abbreviate the words "saint"/"sainte" to
// "st"/"ste", so when the query's last word is unfinished:
// - "saint" typed in full stands for "st " (Saint-…) and for "saint" itself (Saintes,
//   Saintry-sur-Seine), but not for the "st" of Strasbourg;
// - a word on its way to "saint"/"sainte" ("sai", "sain", "saint") also stands for "st "/"ste ".
// A finished "saint " (a separator follows) is "st ". The raw last word comes from the folded
// query, because place_key("saint") is already "st".
std::vector<std::string> name_prefixes(std::string_view query, const std::string& key) {
  const std::string folded = text::fold(query);
  auto end = folded.end();
  while (end != folded.begin() && !is_word_byte(*(end - 1))) --end;
  auto begin = end;
  while (begin != folded.begin() && is_word_byte(*(begin - 1))) --begin;
  const std::string last_word(begin, end);
  const bool abbreviated = last_word == "saint" || last_word == "sainte";
  if (end != folded.end()) return {abbreviated ? key + ' ' : key};

  const std::size_t last_space = key.rfind(' ');
  const std::string head = key.substr(0, last_space == std::string::npos ? 0 : last_space + 1);
  std::vector<std::string> prefixes;
  if (abbreviated) {
    prefixes.push_back(head + last_word);
    prefixes.push_back(key + ' ');
  } else {
    prefixes.push_back(key);
  }
  if (last_word.size() >= 3) {
    for (std::string_view saint : {"saint", "sainte"}) {
      if (last_word.size() >= saint.size() || saint.substr(0, last_word.size()) != last_word) continue;
      std::string prefix = head + (saint == "saint" ? "st " : "ste ");
      if (std::find(prefixes.begin(), prefixes.end(), prefix) == prefixes.end()) prefixes.push_back(std::move(prefix));
    }
  }
  return prefixes;
}

// The codes of the best `limit` organisations whose key or word key starts with one of
// `prefixes` (at most three), in search() order; `key` is the whole query's key. An
// organisation can match through several of its words, so rows are fetched with a margin and
// deduplicated here, fetching more in the rare case the margin was short.
Result<std::vector<std::string>> ranked_codes(OrganisationRows& rows, const std::string& key,
                                              const std::vector<std::string>& prefixes, std::size_t limit) {
  std::vector<KeyRange> ranges(kMaxNamePrefixes);
  for (std::size_t i = 0; i < prefixes.size() && i < kMaxNamePrefixes; ++i) ranges[i] = {prefixes[i], successor(prefixes[i])};
  std::size_t fetch = limit + 8;
  while (true) {
    TRY_ASSIGN(std::vector<std::string> matches, rows.word_matches(key, ranges, fetch));
    std::vector<std::string> codes;
    std::unordered_set<std::string> seen;
    for (std::string& code : matches) {
      if (codes.size() == limit) break;
      if (seen.insert(code).second) codes.push_back(std::move(code));
    }
    if (codes.size() == limit || matches.size() < fetch) return codes;
    fetch *= 4;
  }
}

// The organisations of `codes` still in the store, in that order.
Result<std::vector<Organisation>> organisations_of(OrganisationRows& rows, const std::vector<std::string>& codes) {
  std::vector<Organisation> found;
  found.reserve(codes.size());
  for (const std::string& code : codes) {
    TRY_ASSIGN(std::optional<Organisation> organisation, rows.by_code(code));
    if (organisation) found.push_back(std::move(*organisation));  // else removed meanwhile
  }
  return found;
}

}  // namespace

Result<Organisation> find_organisation(OrganisationRows& rows, std::string_view code) {
  // A code from an address bar may be any bytes; PostgreSQL refuses text that is not UTF-8.
  if (!text::is_valid_utf8(code)) return Error::not_found("Aucune organisation n'a ce code.");
  TRY_ASSIGN(std::optional<Organisation> organisation, rows.by_code(code));
  if (!organisation) return Error::not_found("Aucune organisation n'a le code « " + std::string(code) + " ».");
  return std::move(*organisation);
}

Result<std::vector<Organisation>> search_organisations(OrganisationRows& rows, std::string_view query, std::size_t limit) {
  query = text::trim(query);
  limit = std::min(limit, OrganisationDirectory::kMaxResults);
  if (query.empty() || query.size() > OrganisationDirectory::kMaxQueryBytes || limit == 0) return std::vector<Organisation>{};

  const ClassifiedQuery classified = classify(query);
  if (classified.shape == QueryShape::siren) return rows.by_siren(classified.code);
  if (classified.shape == QueryShape::postal_or_insee_code) {
    // A code is shared by a few organisations at most (a postal code by some dozens): rank
    // them all here.
    TRY_ASSIGN(std::vector<Organisation> found, rows.by_postal_or_insee_code(classified.code));
    std::sort(found.begin(), found.end(), [](const Organisation& a, const Organisation& b) {
      const std::int64_t rank_a = domain::search_rank(a.kind, a.population).rank;
      const std::int64_t rank_b = domain::search_rank(b.kind, b.population).rank;
      return rank_a != rank_b ? rank_a < rank_b : a.code < b.code;
    });
    if (found.size() > limit) found.resize(limit);
    return found;
  }

  const std::string key = text::place_key(query);
  if (key.empty()) return std::vector<Organisation>{};
  TRY_ASSIGN(std::vector<std::string> codes, ranked_codes(rows, key, name_prefixes(query, key), limit));
  return organisations_of(rows, codes);
}

Result<std::vector<Organisation>> closest_organisation_names(OrganisationRows& rows, std::string_view query,
                                                             std::size_t limit) {
  query = text::trim(query);
  limit = std::min(limit, OrganisationDirectory::kMaxResults);
  if (query.size() > OrganisationDirectory::kMaxQueryBytes || limit == 0 || classify(query).shape != QueryShape::name) {
    return std::vector<Organisation>{};
  }
  const std::string key = text::place_key(query);
  if (key.size() < 4) return std::vector<Organisation>{};
  const std::size_t most_edits = key.size() <= 5 ? 1 : 2;
  // Whole names (first words) sharing the first letter: a few thousand keys at most.
  const std::string first_letter = key.substr(0, 1);
  TRY_ASSIGN(std::vector<NameCandidate> words,
             rows.first_words({first_letter, successor(first_letter)}, key.size() - std::min(key.size(), most_edits),
                              key.size() + most_edits));
  struct Candidate {
    std::size_t edits;
    std::int64_t rank;
    std::string code;
  };
  std::vector<Candidate> candidates;
  for (NameCandidate& word : words) {
    const std::size_t edits = text::edit_distance(key, word.word_key, most_edits);
    if (edits == 0 || edits > most_edits) continue;  // an exact name is search()'s
    candidates.push_back({edits, word.rank, std::move(word.code)});
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.edits != b.edits ? a.edits < b.edits : a.rank != b.rank ? a.rank < b.rank : a.code < b.code;
  });
  // Only the fewest edits found: "Bordeau" gives Bordeaux, not also names two letters away.
  std::vector<std::string> codes;
  for (const auto& candidate : candidates) {
    if (codes.size() >= limit || candidate.edits > candidates.front().edits) break;
    codes.push_back(candidate.code);
  }
  return organisations_of(rows, codes);
}

Result<std::vector<Organisation>> organisation_parents(OrganisationRows& rows, const Organisation& organisation) {
  std::vector<Organisation> parents;
  // Adds the first of `candidates` present in the store, unless it is already listed.
  auto add_first_found = [&](std::initializer_list<std::string> candidates) -> Status {
    for (const std::string& code : candidates) {
      if (code == organisation.code) return {};
      TRY_ASSIGN(std::optional<Organisation> found, rows.by_code(code));
      if (!found) continue;
      const bool listed = std::any_of(parents.begin(), parents.end(),
                                      [&](const Organisation& parent) { return parent.code == code; });
      if (!listed) parents.push_back(std::move(*found));
      return {};
    }
    return {};
  };

  if (!organisation.parent_code.empty()) TRY_STATUS(add_first_found({organisation.parent_code}));
  if (!organisation.epci_code.empty()) TRY_STATUS(add_first_found({organisation.epci_code}));
  const bool is_top_level = organisation.kind == kind::kRegion || organisation.kind == kind::kOverseasCollectivity;
  if (is_top_level) return parents;
  if (organisation.kind != kind::kDepartment && !organisation.department_code.empty()) {
    TRY_STATUS(add_first_found({domain::codes::department(organisation.department_code),
                                domain::codes::overseas_collectivity(organisation.department_code)}));
  }
  if (!organisation.region_code.empty()) {
    TRY_STATUS(add_first_found({domain::codes::region(organisation.region_code),
                                domain::codes::overseas_collectivity(organisation.region_code)}));
  }
  return parents;
}

Result<std::vector<Organisation>> organisation_members(OrganisationRows& rows, const Organisation& organisation) {
  if (organisation.kind == kind::kEpci) return rows.epci_communes(organisation.code);
  if (organisation.kind == kind::kCommune) return rows.attached_to(organisation.code);
  return std::vector<Organisation>{};
}

Result<std::vector<OrganisationPeer>> organisation_peers(OrganisationRows& rows, const Organisation& organisation,
                                                         std::size_t limit) {
  TRY_ASSIGN(std::vector<OrganisationPeer> candidates, rows.with_published_fiches(organisation.kind, organisation.code));
  const auto band = domain::size_band(organisation.population);
  struct Ranked {
    double distance;
    OrganisationPeer peer;
  };
  std::vector<Ranked> ranked;
  for (OrganisationPeer& candidate : candidates) {
    const Organisation& peer = candidate.organisation;
    if (domain::size_band(peer.population) != band) continue;
    // Closeness: how many times bigger or smaller (log scale), a région apart counting as a
    // doubling of the population gap.
    double distance = 0;
    if (peer.population && organisation.population && *peer.population > 0 && *organisation.population > 0) {
      distance = std::abs(std::log(static_cast<double>(*peer.population) / static_cast<double>(*organisation.population)));
    }
    if (peer.region_code != organisation.region_code) distance += std::log(2.0);
    ranked.push_back({distance, std::move(candidate)});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.distance != b.distance) return a.distance < b.distance;
    return a.peer.organisation.code < b.peer.organisation.code;
  });
  std::vector<OrganisationPeer> peers;
  for (std::size_t i = 0; i < ranked.size() && i < limit; ++i) peers.push_back(std::move(ranked[i].peer));
  return peers;
}

Result<std::int64_t> write_referential(ReferentialTables& tables, std::string_view source, std::string_view version,
                                       const std::vector<Organisation>& organisations, std::string_view now) {
  // Rows go to the backend by batches, so that one that can write many rows in one statement
  // does; a batch keeps the referential's order (parents first).
  constexpr std::size_t kBatch = 1000;
  TRY_ASSIGN(auto stored, tables.stored_keys());
  std::int64_t written_count = 0;
  for (std::size_t start = 0; start < organisations.size(); start += kBatch) {
    const std::size_t end = std::min(organisations.size(), start + kBatch);
    std::vector<OrganisationRow> rows;
    rows.reserve(end - start);
    for (std::size_t i = start; i < end; ++i) {
      const Organisation& organisation = organisations[i];
      rows.push_back({&organisation, text::place_key(organisation.name), join_postal_codes(organisation.postal_codes),
                      domain::search_rank(organisation.kind, organisation.population),
                      stored.count(organisation.code) != 0});
    }
    TRY_ASSIGN(const std::unordered_set<std::string> written, tables.upsert(rows, version, now));
    written_count += static_cast<std::int64_t>(written.size());
    // Postal codes are rewritten only for organisations whose postal codes changed, word keys
    // only for those whose name, kind or population changed (or that have none yet).
    std::vector<const OrganisationRow*> new_postal_codes;
    std::vector<const OrganisationRow*> new_words;
    for (const OrganisationRow& row : rows) {
      const Organisation& organisation = *row.organisation;
      const auto before = stored.find(organisation.code);
      if (written.count(organisation.code) != 0 && (before == stored.end() || before->second.postal_codes != row.postal_codes)) {
        new_postal_codes.push_back(&row);
      }
      if (before == stored.end() || !before->second.has_words || before->second.search_key != row.search_key ||
          before->second.kind != organisation.kind || before->second.population != organisation.population) {
        new_words.push_back(&row);
      }
    }
    if (!new_postal_codes.empty()) TRY_STATUS(tables.replace_postal_codes(new_postal_codes));
    if (!new_words.empty()) TRY_STATUS(tables.replace_words(new_words));
  }
  TRY_STATUS(tables.record_source(source, version, now));
  return written_count;
}

std::vector<WordKey> word_keys(std::string_view search_key) {
  std::vector<WordKey> keys;
  for (std::size_t start = 0; start < search_key.size();) {
    keys.push_back({search_key.substr(start), start == 0});
    const std::size_t space = search_key.find(' ', start);
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return keys;
}

std::string join_postal_codes(const std::vector<std::string>& postal_codes) {
  std::string joined;
  for (const std::string& postal_code : postal_codes) {
    if (!joined.empty()) joined += ' ';
    joined += postal_code;
  }
  return joined;
}

std::vector<std::string> split_postal_codes(std::string_view joined) {
  std::vector<std::string> postal_codes;
  while (!joined.empty()) {
    const std::size_t space = joined.find(' ');
    if (space != 0) postal_codes.emplace_back(joined.substr(0, space));
    if (space == std::string_view::npos) break;
    joined.remove_prefix(space + 1);
  }
  return postal_codes;
}

}  // namespace vigie::store
