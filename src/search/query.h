// The query syntax of the search box, which never fails: words (all required, ranked),
// "exact phrase", -exclusion, prefix*. Anything malformed is read as plain words: an
// unclosed quote opens no phrase, a lone "-" or "*" is ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "search/synonyms.h"

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

ParsedQuery parse_query(std::string_view text);

// The Xapian query: required clauses with OP_AND, excluded ones with OP_AND_NOT, words
// stemmed ("Z" terms), phrases and synonyms on unstemmed positional terms, prefixes as
// wildcards limited to the 50 most frequent expansions. A query of exclusions only matches
// everything but them; an empty query matches everything.
Xapian::Query build_query(const ParsedQuery& parsed, const Synonyms& synonyms);

}  // namespace vigie::search
