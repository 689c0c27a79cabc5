#include "territory/directory.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <unordered_set>
#include <utility>

#include "core/text.h"
#include "territory/organisation_codes.h"
#include "territory/search_rank.h"

namespace vigie::territory {

namespace {

using domain::Organisation;
using store::sqlite::Database;
using store::sqlite::Statement;
namespace kind = domain::kind;

// The columns read_organisation() expects, in its order. Macros so that every query below stays
// one constant string literal.
#define VIGIE_ORGANISATION_COLUMNS                                                                      \
  "code, siren, kind, insee_code, name, population, department_code, region_code, parent_code, " \
  "epci_code, epci_kind, zone, postal_codes"

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

Organisation read_organisation(const Statement& row) {
  Organisation organisation;
  organisation.code = row.column_text(0);
  organisation.siren = row.column_text(1);
  organisation.kind = row.column_text(2);
  organisation.insee_code = row.column_text(3);
  organisation.name = row.column_text(4);
  organisation.population = row.column_optional_int(5);
  organisation.department_code = row.column_text(6);
  organisation.region_code = row.column_text(7);
  organisation.parent_code = row.column_text(8);
  organisation.epci_code = row.column_text(9);
  organisation.epci_kind = row.column_text(10);
  organisation.zone = row.column_text(11);
  organisation.postal_codes = split_postal_codes(row.column_text(12));
  return organisation;
}

Result<std::vector<Organisation>> read_all(Statement& statement) {
  std::vector<Organisation> organisations;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    organisations.push_back(read_organisation(statement));
  }
  return organisations;
}

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

}  // namespace

Result<Organisation> Directory::find(std::string_view code) {
  TRY_ASSIGN(auto statement, db_.prepare("SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE code = ?1"));
  statement.bind(1, code);
  TRY_ASSIGN(bool found, statement.step());
  if (!found) return Error::not_found("Aucune organisation n'a le code « " + std::string(code) + " ».");
  return read_organisation(statement);
}

Result<std::vector<Organisation>> Directory::search(std::string_view query, std::size_t limit) {
  query = text::trim(query);
  limit = std::min(limit, kMaxResults);
  if (query.empty() || query.size() > kMaxQueryBytes || limit == 0) return std::vector<Organisation>{};

  const ClassifiedQuery classified = classify(query);
  if (classified.shape == QueryShape::siren) {
    TRY_ASSIGN(auto statement, db_.prepare("SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE siren = ?1"));
    statement.bind(1, classified.code);
    return read_all(statement);
  }
  if (classified.shape == QueryShape::postal_or_insee_code) {
    // A code is shared by a few organisations at most (a postal code by some dozens): rank
    // them all here.
    TRY_ASSIGN(auto statement, db_.prepare(
        "SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations WHERE code IN ("
        "  SELECT organisation_code FROM organisation_postal_codes WHERE postal_code = ?1"
        "  UNION SELECT code FROM organisations WHERE insee_code = ?1)"));
    statement.bind(1, classified.code);
    TRY_ASSIGN(std::vector<Organisation> found, read_all(statement));
    std::sort(found.begin(), found.end(), [](const Organisation& a, const Organisation& b) {
      const std::int64_t rank_a = search_rank(a.kind, a.population).rank;
      const std::int64_t rank_b = search_rank(b.kind, b.population).rank;
      return rank_a != rank_b ? rank_a < rank_b : a.code < b.code;
    });
    if (found.size() > limit) found.resize(limit);
    return found;
  }

  const std::string key = text::place_key(query);
  if (key.empty()) return std::vector<Organisation>{};
  const std::vector<std::string> prefixes = name_prefixes(query, key);
  TRY_ASSIGN(std::vector<std::string> codes, ranked_codes(key, prefixes, limit));
  std::vector<Organisation> found;
  found.reserve(codes.size());
  for (const std::string& code : codes) {
    auto organisation = find(code);
    if (!organisation.ok()) {
      if (organisation.error().kind == ErrorKind::not_found) continue;  // removed meanwhile
      return std::move(organisation).error();
    }
    found.push_back(std::move(organisation).value());
  }
  return found;
}

Result<std::vector<Organisation>> Directory::closest_names(std::string_view query, std::size_t limit) {
  query = text::trim(query);
  limit = std::min(limit, kMaxResults);
  if (query.size() > kMaxQueryBytes || limit == 0 || classify(query).shape != QueryShape::name) return std::vector<Organisation>{};
  const std::string key = text::place_key(query);
  if (key.size() < 4) return std::vector<Organisation>{};
  const std::size_t most_edits = key.size() <= 5 ? 1 : 2;
  // Whole names (first words) sharing the first letter: a few thousand keys at most.
  std::string after = key.substr(0, 1);
  after.back() = static_cast<char>(after.back() + 1);
  TRY_ASSIGN(auto statement, db_.prepare(
      "SELECT word_key, organisation_code, rank FROM organisation_words"
      " WHERE first_word = 1 AND word_key >= ?1 AND word_key < ?2 AND length(word_key) BETWEEN ?3 AND ?4"));
  statement.bind(1, key.substr(0, 1));
  statement.bind(2, after);
  statement.bind(3, static_cast<std::int64_t>(key.size() - std::min(key.size(), most_edits)));
  statement.bind(4, static_cast<std::int64_t>(key.size() + most_edits));
  struct Candidate {
    std::size_t edits;
    std::int64_t rank;
    std::string code;
  };
  std::vector<Candidate> candidates;
  while (true) {
    TRY_ASSIGN(const bool row, statement.step());
    if (!row) break;
    const std::size_t edits = text::edit_distance(key, statement.column_text(0), most_edits);
    if (edits == 0 || edits > most_edits) continue;  // an exact name is search()'s
    candidates.push_back({edits, statement.column_int(2), statement.column_text(1)});
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.edits != b.edits ? a.edits < b.edits : a.rank != b.rank ? a.rank < b.rank : a.code < b.code;
  });
  // Only the fewest edits found: "Bordeau" gives Bordeaux, not also names two letters away.
  std::vector<Organisation> found;
  for (const auto& candidate : candidates) {
    if (found.size() >= limit || candidate.edits > candidates.front().edits) break;
    auto organisation = find(candidate.code);
    if (organisation.ok()) found.push_back(std::move(organisation).value());
  }
  return found;
}

Result<std::vector<std::string>> Directory::ranked_codes(const std::string& key, const std::vector<std::string>& prefixes,
                                                        std::size_t limit) {
  // Candidates and their order come from organisation_words alone (see
  // 0002_organisation_words.sql): one range per prefix, unused ranges bound empty ('' to '').
  // An organisation can match through several of its words, so rows are fetched with a margin
  // and deduplicated here, fetching more in the rare case the margin was short.
  std::size_t fetch = limit + 8;
  while (true) {
    TRY_ASSIGN(auto statement, db_.prepare(
        "SELECT organisation_code FROM ("
        "  SELECT organisation_code, CASE WHEN first_word AND word_key = ?1 THEN exact_rank ELSE rank END AS sort"
        "    FROM organisation_words WHERE word_key >= ?2 AND word_key < ?3"
        "  UNION ALL"
        "  SELECT organisation_code, CASE WHEN first_word AND word_key = ?1 THEN exact_rank ELSE rank END"
        "    FROM organisation_words WHERE word_key >= ?4 AND word_key < ?5"
        "  UNION ALL"
        "  SELECT organisation_code, CASE WHEN first_word AND word_key = ?1 THEN exact_rank ELSE rank END"
        "    FROM organisation_words WHERE word_key >= ?6 AND word_key < ?7)"
        " ORDER BY sort, organisation_code LIMIT ?8"));
    statement.bind(1, key);
    for (std::size_t i = 0; i < kMaxNamePrefixes; ++i) {
      const int parameter = static_cast<int>(2 + 2 * i);
      if (i < prefixes.size()) {
        statement.bind(parameter, prefixes[i]).bind(parameter + 1, successor(prefixes[i]));
      } else {
        statement.bind(parameter, "").bind(parameter + 1, "");
      }
    }
    statement.bind(8, static_cast<std::int64_t>(fetch));
    std::vector<std::string> codes;
    std::unordered_set<std::string> seen;
    std::size_t rows = 0;
    while (codes.size() < limit) {
      TRY_ASSIGN(bool has_row, statement.step());
      if (!has_row) break;
      ++rows;
      std::string code = statement.column_text(0);
      if (seen.insert(code).second) codes.push_back(std::move(code));
    }
    if (codes.size() == limit || rows < fetch) return codes;
    fetch *= 4;
  }
}

Result<std::vector<Organisation>> Directory::parents(const Organisation& organisation) {
  std::vector<Organisation> parents;
  // Adds the first of `candidates` present in the store, unless it is already listed.
  auto add_first_found = [&](std::initializer_list<std::string> candidates) -> Status {
    for (const std::string& code : candidates) {
      if (code == organisation.code) return {};
      auto found = find(code);
      if (!found.ok()) {
        if (found.error().kind == ErrorKind::not_found) continue;
        return std::move(found).error();
      }
      const bool listed = std::any_of(parents.begin(), parents.end(),
                                      [&](const Organisation& parent) { return parent.code == code; });
      if (!listed) parents.push_back(std::move(found).value());
      return {};
    }
    return {};
  };

  if (!organisation.parent_code.empty()) TRY_STATUS(add_first_found({organisation.parent_code}));
  if (!organisation.epci_code.empty()) TRY_STATUS(add_first_found({organisation.epci_code}));
  const bool is_top_level = organisation.kind == kind::kRegion || organisation.kind == kind::kOverseasCollectivity;
  if (is_top_level) return parents;
  if (organisation.kind != kind::kDepartment && !organisation.department_code.empty()) {
    TRY_STATUS(add_first_found({codes::department(organisation.department_code),
                                codes::overseas_collectivity(organisation.department_code)}));
  }
  if (!organisation.region_code.empty()) {
    TRY_STATUS(add_first_found({codes::region(organisation.region_code),
                                codes::overseas_collectivity(organisation.region_code)}));
  }
  return parents;
}

Result<std::vector<Organisation>> Directory::members(const Organisation& organisation) {
  if (organisation.kind == kind::kEpci) {
    TRY_ASSIGN(auto statement, db_.prepare("SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations "
                                           "WHERE epci_code = ?1 AND kind = 'commune' ORDER BY search_key, name, code"));
    statement.bind(1, organisation.code);
    return read_all(statement);
  }
  if (organisation.kind == kind::kCommune) {
    TRY_ASSIGN(auto statement, db_.prepare("SELECT " VIGIE_ORGANISATION_COLUMNS " FROM organisations "
                                           "WHERE parent_code = ?1 ORDER BY insee_code, search_key, code"));
    statement.bind(1, organisation.code);
    return read_all(statement);
  }
  return std::vector<Organisation>{};
}

Result<std::map<std::string, std::int64_t>> Directory::count_by_kind() {
  TRY_ASSIGN(auto statement, db_.prepare("SELECT kind, count(*) FROM organisations GROUP BY kind"));
  std::map<std::string, std::int64_t> counts;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    counts.emplace(statement.column_text(0), statement.column_int(1));
  }
  return counts;
}


Result<std::vector<Directory::Peer>> Directory::peers_with_fiches(const Organisation& organisation, std::size_t limit) {
  TRY_ASSIGN(auto statement, db_.prepare(
      "SELECT " VIGIE_ORGANISATION_COLUMNS ", counts.fiches FROM organisations"
      " JOIN (SELECT w.organisation_code AS owner, count(*) AS fiches FROM use_case_owners w"
      "       JOIN use_cases u ON u.id = w.use_case_id WHERE u.publication_state = 'publiee'"
      "       GROUP BY w.organisation_code) counts ON counts.owner = organisations.code"
      " WHERE kind = ?1 AND code <> ?2"));
  statement.bind(1, organisation.kind).bind(2, organisation.code);
  const auto band = domain::size_band(organisation.population);
  struct Ranked {
    double distance;
    Peer peer;
  };
  std::vector<Ranked> ranked;
  while (true) {
    TRY_ASSIGN(bool has_row, statement.step());
    if (!has_row) break;
    Organisation peer = read_organisation(statement);
    if (domain::size_band(peer.population) != band) continue;
    // Closeness: how many times bigger or smaller (log scale), a région apart counting as a
    // doubling of the population gap.
    double distance = 0;
    if (peer.population && organisation.population && *peer.population > 0 && *organisation.population > 0) {
      distance = std::abs(std::log(static_cast<double>(*peer.population) / static_cast<double>(*organisation.population)));
    }
    if (peer.region_code != organisation.region_code) distance += std::log(2.0);
    ranked.push_back({distance, {std::move(peer), statement.column_int(13)}});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.distance != b.distance) return a.distance < b.distance;
    return a.peer.organisation.code < b.peer.organisation.code;
  });
  std::vector<Peer> peers;
  for (std::size_t i = 0; i < ranked.size() && i < limit; ++i) peers.push_back(std::move(ranked[i].peer));
  return peers;
}

#undef VIGIE_ORGANISATION_COLUMNS

}  // namespace vigie::territory
