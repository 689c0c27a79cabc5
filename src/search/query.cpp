#include "search/query.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "core/text.h"
#include "search/analysis.h"

namespace vigie::search {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t word_count(const ParsedQuery& parsed) {
  std::size_t count = 0;
  for (const auto& clause : parsed.clauses) count += clause.words.size();
  return count;
}

}  // namespace

ParsedQuery parse_query(std::string_view text) {
  ParsedQuery parsed;
  std::size_t i = 0;
  while (i < text.size() && word_count(parsed) < kMaxQueryWords) {
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
      // Plain words of one token join the previous plain clause, so that expressions spanning
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

std::size_t AnalysedQuery::filtering_count() const {
  return static_cast<std::size_t>(std::count_if(parts.begin(), parts.end(), [](const QueryPart& p) { return p.filtering && !p.excluded; }));
}

namespace {
std::vector<const Vocabulary::Expression*> chosen_related(const QueryPart& part);
}  // namespace

AnalysedQuery analyse_query(const ParsedQuery& parsed, const Vocabulary& vocabulary) {
  AnalysedQuery analysed;
  for (const auto& clause : parsed.clauses) {
    if (clause.kind != ParsedQuery::Clause::Kind::words) {
      analysed.parts.push_back({clause.kind, clause.words, clause.excluded, true, {}, {}, {}});
      continue;
    }
    const auto& words = clause.words;
    std::vector<std::string> stems;
    stems.reserve(words.size());
    for (const auto& word : words) stems.push_back(stem(word));
    std::size_t i = 0;
    while (i < words.size()) {
      const std::size_t non_filtering = vocabulary.non_filtering_at(words, stems, i);
      const auto match = vocabulary.match_at(words, stems, i);
      QueryPart part;
      part.excluded = clause.excluded;
      std::size_t length = 1;
      if (non_filtering > 0 && non_filtering >= match.length) {
        // « intelligence artificielle » is no filter here, even where the vocabulary knows it.
        length = non_filtering;
        part.filtering = false;
      } else if (match.length > 0) {
        length = match.length;
        part.related = match.related;
        for (const auto* expression : chosen_related(part)) {
          if (expression->stems.size() > 1) part.phrased.push_back(expression);
        }
      } else {
        part.filtering = !is_stopword(words[i]) && !has_digit(words[i]);
      }
      part.words.assign(words.begin() + static_cast<std::ptrdiff_t>(i), words.begin() + static_cast<std::ptrdiff_t>(i + length));
      // An excluded word is excluded whatever it is.
      if (part.excluded) part.filtering = true;
      analysed.parts.push_back(std::move(part));
      i += length;
    }
  }
  return analysed;
}

namespace {

Xapian::Query stem_term(const std::string& word) {
  // Built by appending: GCC 12 warns (-Wrestrict, a false positive) on const char* + string&&.
  std::string term = prefix::kStem;
  term += stem(word);
  return Xapian::Query(term);
}

// Every content word of an expression, on stems, anywhere in the fiche. Phrases on stems were
// tried: they needed positions for stems (an index 80 % larger, a rebuild 70 % longer) and
// made some queries ten times slower at 100,000 fiches, for little precision gained on
// expressions that only weigh half.
Xapian::Query expression_words(const std::vector<std::string>& words) {
  std::vector<Xapian::Query> terms;
  for (const auto& word : words) {
    if (!is_stopword(word)) terms.push_back(stem_term(word));
  }
  if (terms.empty()) {
    for (const auto& word : words) terms.push_back(stem_term(word));
  }
  if (terms.size() == 1) return terms.front();
  return Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end());
}

// An exact phrase on the words as written (unstemmed, positional terms).
Xapian::Query exact_phrase(const std::vector<std::string>& words) {
  if (words.size() == 1) return stem_term(words.front());
  return Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(), static_cast<Xapian::termcount>(words.size()));
}

// A hub of the vocabulary (« grand modèle de langage » is on 15 lines) brings dozens of
// expressions: the shortest kMaxRelated are enough to find the fiches, and keep such a query
// within a few milliseconds at 100,000 fiches.
std::vector<const Vocabulary::Expression*> chosen_related(const QueryPart& part) {
  constexpr std::size_t kMaxRelated = 12;
  std::vector<const Vocabulary::Expression*> chosen = part.related;
  std::stable_sort(chosen.begin(), chosen.end(), [](const auto* a, const auto* b) { return a->stems.size() < b->stems.size(); });
  if (chosen.size() > kMaxRelated) chosen.resize(kMaxRelated);
  return chosen;
}

// A related expression: one stem, or every content word of several, on stems, anywhere.
Xapian::Query expression_query(const Vocabulary::Expression& expression) {
  if (expression.stems.size() == 1) {
    std::string term = prefix::kStem;
    term += expression.stems.front();
    return Xapian::Query(term);
  }
  return expression_words(expression.words);
}

// Related expressions weigh half as much as the words typed.
constexpr double kRelatedWeight = 0.5;

// The related expressions of several words of `part`, as phrases on the words as written
// (function words allowed between them). They only rank, as an optional branch: the fiches
// holding « collecte des déchets » as such come before those holding « collecte » and
// « déchets » apart, and Xapian checks positions only where that can change the first page
// (as a required alternative, a phrase was checked on every fiche holding its words: 100 ms
// for some queries at 100,000 fiches; see keep_cheap_phrases).
//
// Each phrase, weighted, is filtered by the AND of its words: alone on the optional side of
// AND_MAYBE, or filtered after its weight was scaled, Xapian 1.4 weighed a phrase held by no
// fiche against every fiche of the required side (« capteurs » and « mesures en temps réel »:
// 55–75 ms at 100,000 fiches; 2.5 ms as here).
std::vector<Xapian::Query> phrase_boosts(const QueryPart& part) {
  std::vector<Xapian::Query> boosts;
  for (const auto* expression : part.phrased) {
    const auto& words = expression->words;
    const Xapian::Query phrase(Xapian::Query::OP_PHRASE, words.begin(), words.end(), static_cast<Xapian::termcount>(words.size() + 2));
    boosts.emplace_back(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, phrase, kRelatedWeight),
                        Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()));
  }
  return boosts;
}

}  // namespace

Xapian::Query part_query(const QueryPart& part) {
  switch (part.kind) {
    case QueryPart::Kind::phrase: return exact_phrase(part.words);
    case QueryPart::Kind::prefix:
      return Xapian::Query(Xapian::Query::OP_WILDCARD, part.words.front(), 50, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    case QueryPart::Kind::words: break;
  }
  // The words typed (those of an expression the vocabulary recognised too: « tri du courrier »
  // finds « tri et orientation … du courrier »).
  std::vector<Xapian::Query> alternatives{expression_words(part.words)};
  for (const auto& form : part.other_forms) alternatives.push_back(stem_term(form));
  if (!part.related.empty()) {
    std::vector<Xapian::Query> related;
    for (const auto* expression : chosen_related(part)) related.push_back(expression_query(*expression));
    alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, related.begin(), related.end()), kRelatedWeight);
  }
  if (alternatives.size() == 1) return alternatives.front();
  return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

namespace {

// `required` ranked also by the non-filtering parts and the phrases of related expressions,
// without the excluded parts.
Xapian::Query finish(const AnalysedQuery& query, Xapian::Query required) {
  std::vector<Xapian::Query> ranking;
  std::vector<Xapian::Query> excluded;
  for (const auto& part : query.parts) {
    if (part.excluded) {
      excluded.push_back(part_query(part));
      continue;
    }
    if (!part.filtering) ranking.push_back(part_query(part));
    for (auto& boost : phrase_boosts(part)) ranking.push_back(std::move(boost));
  }
  if (!ranking.empty()) {
    required = Xapian::Query(Xapian::Query::OP_AND_MAYBE, required, Xapian::Query(Xapian::Query::OP_OR, ranking.begin(), ranking.end()));
  }
  if (!excluded.empty()) {
    required = Xapian::Query(Xapian::Query::OP_AND_NOT, required, Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
  }
  return required;
}

}  // namespace

void keep_cheap_phrases(AnalysedQuery& query, const std::function<std::size_t(const std::string&)>& frequency, std::size_t limit) {
  for (auto& part : query.parts) {
    std::erase_if(part.phrased, [&](const Vocabulary::Expression* expression) {
      std::size_t rarest = static_cast<std::size_t>(-1);
      for (const auto& word : expression->words) rarest = std::min(rarest, frequency(word));
      return rarest > limit;
    });
  }
}

Xapian::Query strict_query(const AnalysedQuery& query) {
  std::vector<Xapian::Query> required;
  for (const auto& part : query.parts) {
    if (part.filtering && !part.excluded) required.push_back(part_query(part));
  }
  return finish(query, required.empty() ? Xapian::Query::MatchAll : Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end()));
}

Xapian::Query relaxed_query(const AnalysedQuery& query, const std::vector<std::size_t>& kept, std::size_t minimum) {
  std::vector<Xapian::Query> parts;
  for (const auto index : kept) parts.push_back(part_query(query.parts[index]));
  if (minimum <= 1) return finish(query, Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()));
  // Every combination of `minimum` parts: a fiche holding more parts matches more of them, so
  // its weight grows with the number of parts it holds.
  std::vector<Xapian::Query> combinations;
  std::vector<std::size_t> chosen;
  std::function<void(std::size_t)> choose = [&](std::size_t from) {
    if (chosen.size() == minimum) {
      std::vector<Xapian::Query> all;
      for (const auto c : chosen) all.push_back(parts[c]);
      combinations.emplace_back(Xapian::Query::OP_AND, all.begin(), all.end());
      return;
    }
    for (std::size_t p = from; p + (minimum - chosen.size()) <= parts.size(); ++p) {
      chosen.push_back(p);
      choose(p + 1);
      chosen.pop_back();
    }
  };
  choose(0);
  return finish(query, Xapian::Query(Xapian::Query::OP_OR, combinations.begin(), combinations.end()));
}

std::string typed_form(std::string_view text, const std::string& normalized) {
  std::string found;
  std::size_t i = 0;
  auto is_word_byte = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; };
  while (i < text.size() && found.empty()) {
    if (!is_word_byte(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_word_byte(text[end])) ++end;
    const std::string_view token = text.substr(i, end - i);
    if (text::fold(token) == normalized) found = std::string(token);
    i = end;
  }
  return found.empty() ? normalized : found;
}

std::string replace_words(std::string_view text, const std::vector<std::pair<std::string, std::string>>& replaced) {
  std::string out;
  std::size_t i = 0;
  auto is_word_byte = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; };
  while (i < text.size()) {
    if (!is_word_byte(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_word_byte(text[end])) ++end;
    const std::string_view token = text.substr(i, end - i);
    const std::string folded = text::fold(token);
    auto found = std::find_if(replaced.begin(), replaced.end(), [&](const auto& r) { return r.first == folded; });
    if (found != replaced.end()) {
      out += found->second;
    } else {
      out += token;
    }
    i = end;
  }
  return out;
}

}  // namespace vigie::search
