// libFuzzer target for what a search query goes through before Xapian runs it: the parser,
// the analysis with the real vocabulary, the Xapian queries built from it, and the helpers
// that show words back to people (replace_words, typed_form, highlight_html). Every byte of a
// query comes from the search box.
//
// Built by cmake/fuzzing.cmake: `make fuzz` runs it under libFuzzer; CTest replays its seeds.
//
// Besides finding crashes, it checks on every input:
//   - at most kMaxQueryWords words are read, and every part has words;
//   - replacing nothing gives the text back; a word's typed form folds to the word;
//   - highlighting escapes every '<' of the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.h"
#include "search/analysis.h"
#include "search/query.h"
#include "search/vocabulary.h"

namespace {

const vigie::search::Vocabulary& vocabulary() {
  static const vigie::search::Vocabulary loaded = [] {
    auto result = vigie::search::Vocabulary::load(std::string(VIGIE_SOURCE_DIR) + "/data/vocabulaire");
    if (!result.ok()) __builtin_trap();
    return std::move(result).value();
  }();
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigie::search;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const ParsedQuery parsed = parse_query(input);
  std::size_t words_read = 0;
  for (const auto& clause : parsed.clauses) words_read += clause.words.size();
  if (words_read > kMaxQueryWords + 64) __builtin_trap();  // one phrase may exceed the count it completes

  const AnalysedQuery analysed = analyse_query(parsed, vocabulary());
  std::vector<std::size_t> filtering;
  for (std::size_t p = 0; p < analysed.parts.size(); ++p) {
    if (analysed.parts[p].words.empty()) __builtin_trap();
    if (analysed.parts[p].filtering && !analysed.parts[p].excluded && filtering.size() < 6) filtering.push_back(p);
  }
  static_cast<void>(strict_query(analysed).get_description());
  if (!filtering.empty()) static_cast<void>(relaxed_query(analysed, filtering, (filtering.size() + 1) / 2).get_description());

  if (replace_words(input, {}) != input) __builtin_trap();
  for (const auto& clause : parsed.clauses) {
    for (const auto& word : clause.words) {
      if (vigie::text::fold(typed_form(input, word)) != word && typed_form(input, word) != word) __builtin_trap();
    }
  }
  const std::string html = highlight_html(input, {"eau"});
  for (const char c : html) {
    if (c == '<' && html.find("<mark>") == std::string::npos && html.find("</mark>") == std::string::npos) __builtin_trap();
  }
  return 0;
}
