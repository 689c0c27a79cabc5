#include "search/query.h"

#include "search/analysis.h"

namespace vigie::search {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

ParsedQuery parse_query(std::string_view text) {
  ParsedQuery parsed;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    bool excluded = false;
    if (text[i] == '-' && i + 1 < text.size() && !is_space(text[i + 1])) {
      excluded = true;
      ++i;
    }
    if (text[i] == '"') {
      const auto close = text.find('"', i + 1);
      if (close != std::string_view::npos) {
        auto phrase_words = words(text.substr(i + 1, close - i - 1));
        if (!phrase_words.empty()) {
          const auto kind = phrase_words.size() == 1 ? ParsedQuery::Clause::Kind::words : ParsedQuery::Clause::Kind::phrase;
          parsed.clauses.push_back({kind, std::move(phrase_words), excluded});
        }
        i = close + 1;
        continue;
      }
      ++i;  // an unclosed quote is ignored
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !is_space(text[end]) && text[end] != '"') ++end;
    std::string_view token = text.substr(i, end - i);
    i = end;
    const bool prefix = token.size() > 1 && token.back() == '*';
    auto token_words = words(prefix ? token.substr(0, token.size() - 1) : token);
    if (token_words.empty()) continue;
    if (prefix && token_words.size() == 1) {
      parsed.clauses.push_back({ParsedQuery::Clause::Kind::prefix, std::move(token_words), excluded});
    } else if (excluded) {
      // "-vidéo-protection" excludes the compound as a phrase.
      const auto kind = token_words.size() == 1 ? ParsedQuery::Clause::Kind::words : ParsedQuery::Clause::Kind::phrase;
      parsed.clauses.push_back({kind, std::move(token_words), true});
    } else {
      // Plain words of one token join the previous plain clause, so that synonyms spanning
      // several tokens ("agent conversationnel") are recognised.
      if (!parsed.clauses.empty() && parsed.clauses.back().kind == ParsedQuery::Clause::Kind::words &&
          !parsed.clauses.back().excluded) {
        auto& previous = parsed.clauses.back().words;
        previous.insert(previous.end(), token_words.begin(), token_words.end());
      } else {
        parsed.clauses.push_back({ParsedQuery::Clause::Kind::words, std::move(token_words), false});
      }
    }
  }
  return parsed;
}

namespace {

Xapian::Query word_query(const std::string& word) {
  // Built by appending: GCC 12 warns (-Wrestrict, a false positive) on const char* + string&&.
  std::string term = prefix::kStem;
  term += stem(word);
  return Xapian::Query(term);
}

Xapian::Query phrase_query(const std::vector<std::string>& phrase) {
  if (phrase.size() == 1) return word_query(phrase.front());
  return Xapian::Query(Xapian::Query::OP_PHRASE, phrase.begin(), phrase.end(), static_cast<Xapian::termcount>(phrase.size()));
}

// Plain words: each required, except that an expression of a synonym group is replaced by the
// OR of the group's expressions (OP_SYNONYM scores them as one term).
std::vector<Xapian::Query> words_queries(const std::vector<std::string>& words, const Synonyms& synonyms) {
  std::vector<Xapian::Query> queries;
  std::size_t i = 0;
  while (i < words.size()) {
    const auto match = synonyms.match_at(words, i);
    if (match.length == 0) {
      // Function words are not required ("tri du courrier" finds "tri automatique des courriers").
      if (!is_stopword(words[i]) || words.size() == 1) queries.push_back(word_query(words[i]));
      ++i;
      continue;
    }
    std::vector<Xapian::Query> alternatives;
    for (const auto& expression : synonyms.groups()[match.group]) alternatives.push_back(phrase_query(expression));
    queries.emplace_back(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
    i += match.length;
  }
  return queries;
}

}  // namespace

Xapian::Query build_query(const ParsedQuery& parsed, const Synonyms& synonyms) {
  std::vector<Xapian::Query> required;
  std::vector<Xapian::Query> excluded;
  for (const auto& clause : parsed.clauses) {
    std::vector<Xapian::Query> parts;
    switch (clause.kind) {
      case ParsedQuery::Clause::Kind::words: parts = words_queries(clause.words, synonyms); break;
      case ParsedQuery::Clause::Kind::phrase: parts.push_back(phrase_query(clause.words)); break;
      case ParsedQuery::Clause::Kind::prefix:
        parts.emplace_back(Xapian::Query::OP_WILDCARD, clause.words.front(), 50, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
        break;
    }
    auto& target = clause.excluded ? excluded : required;
    target.insert(target.end(), parts.begin(), parts.end());
  }
  Xapian::Query query = required.empty() ? Xapian::Query::MatchAll
                                         : Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
  if (!excluded.empty()) {
    query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
  }
  return query;
}

}  // namespace vigie::search
