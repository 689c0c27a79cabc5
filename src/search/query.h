// The query syntax of the search box, which never fails: words, "exact phrase", -exclusion,
// prefix*. Anything malformed is read as plain words: an unclosed quote opens no phrase, a lone
// "-" or "*" is ignored.
//
// A parsed query is then analysed into parts, each one thing the person asks for: a word, or
// an expression of the vocabulary (search/vocabulary.h) with the other expressions that mean
// the same. Parts that carry no meaning in this library (function and question words, numbers
// outside phrases, « IA », « algorithme »…) do not filter; they only rank.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "search/vocabulary.h"

namespace vigie::search {

struct ParsedQuery {
  struct Clause {
    enum class Kind { words, phrase, prefix };
    Kind kind = Kind::words;
    std::vector<std::string> words;  // normalised (search/analysis.h)
    bool excluded = false;
  };
  std::vector<Clause> clauses;

  bool empty() const { return clauses.empty(); }
};

// At most this many words of a query are read; the rest is ignored.
inline constexpr std::size_t kMaxQueryWords = 32;

ParsedQuery parse_query(std::string_view text);

struct QueryPart {
  using Kind = ParsedQuery::Clause::Kind;
  Kind kind = Kind::words;
  std::vector<std::string> words;  // normalised, as typed
  bool excluded = false;
  bool filtering = true;  // false: ranks only
  std::vector<const Vocabulary::Expression*> related;  // from the vocabulary (words parts)
  std::vector<const Vocabulary::Expression*> phrased;  // related expressions of several words ranked as phrases
  std::vector<std::string> other_forms;  // other single-word forms: lemmas, a spelling correction
};

struct AnalysedQuery {
  std::vector<QueryPart> parts;
  std::size_t filtering_count() const;
};

// `vocabulary` must outlive the result (parts point to its expressions).
AnalysedQuery analyse_query(const ParsedQuery& parsed, const Vocabulary& vocabulary);

// Keeps as phrases only the related expressions whose rarest word is in at most `limit` fiches
// (`frequency` gives the fiches holding a normalised word): a phrase is checked on every fiche
// holding its words, since facet counting visits every match.
void keep_cheap_phrases(AnalysedQuery& query, const std::function<std::size_t(const std::string&)>& frequency, std::size_t limit);

// What one part matches: its words as typed (stems, every content word required), its other
// forms, and, weighted at half, its related expressions (every content word, on stems).
Xapian::Query part_query(const QueryPart& part);

// Every filtering part required, the others ranking; excluded parts removed. Without a
// filtering part, every fiche matches, ranked by the others.
Xapian::Query strict_query(const AnalysedQuery& query);

// Fiches holding at least `minimum` of the parts `kept` (indices of filtering parts), ranked by
// how many they hold (each combination adds its weight), the other parts ranking; excluded
// parts removed. Precondition: 1 <= minimum <= kept.size() <= 8.
Xapian::Query relaxed_query(const AnalysedQuery& query, const std::vector<std::size_t>& kept, std::size_t minimum);

// How `normalized` (a word of `text` once normalised) was typed in `text`, accents and case
// kept; `normalized` itself when it cannot be found.
std::string typed_form(std::string_view text, const std::string& normalized);

// `text` with each word whose normalised form is a key of `replaced` replaced by its value
// (a correction, accents as shown); everything else as typed.
std::string replace_words(std::string_view text, const std::vector<std::pair<std::string, std::string>>& replaced);

}  // namespace vigie::search
