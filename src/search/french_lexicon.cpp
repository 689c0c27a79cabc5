#include "search/french_lexicon.h"

#include <fmt/format.h>
#include <hunspell/hunspell.hxx>

#include <algorithm>
#include <functional>

#include "core/text.h"

namespace vigie::search {

namespace {

// Hunspell's suggestions get slow on long strings; no French word a person types is longer.
constexpr std::size_t kLongestWord = 40;
// Suggestions for longer strings take too long (they grow with the length) for a search.
constexpr std::size_t kLongestCorrected = 24;

bool single_word(const std::string& candidate) {
  return std::none_of(candidate.begin(), candidate.end(), [](char c) { return c == ' ' || c == '-' || c == '\''; });
}

}  // namespace

FrenchLexicon::FrenchLexicon(std::unique_ptr<Hunspell> hunspell) : hunspell_(std::move(hunspell)) {}
FrenchLexicon::~FrenchLexicon() = default;

Result<std::unique_ptr<FrenchLexicon>> FrenchLexicon::open(const std::filesystem::path& directory) {
  const auto affixes = directory / "fr.aff";
  const auto dictionary = directory / "fr.dic";
  for (const auto& file : {affixes, dictionary}) {
    if (!std::filesystem::exists(file)) {
      return Error::unavailable(fmt::format("{} : dictionnaire français introuvable (paquet Debian hunspell-fr)", file.string()));
    }
  }
  auto hunspell = std::make_unique<Hunspell>(affixes.c_str(), dictionary.c_str());
  return std::unique_ptr<FrenchLexicon>(new FrenchLexicon(std::move(hunspell)));
}

namespace {

// The accented letters French puts on each ASCII letter.
const std::vector<std::string>& accented_forms(char letter) {
  static const std::vector<std::string> kNone;
  static const std::vector<std::string> kA{"à", "â"}, kC{"ç"}, kE{"é", "è", "ê", "ë"}, kI{"î", "ï"}, kO{"ô"}, kU{"ù", "û", "ü"};
  switch (letter) {
    case 'a': return kA;
    case 'c': return kC;
    case 'e': return kE;
    case 'i': return kI;
    case 'o': return kO;
    case 'u': return kU;
    default: return kNone;
  }
}

// Calls `visit` with `word` written with every combination of accents, plain letters first,
// until it returns true or `budget` combinations were tried. Returns whether one did.
bool any_accented(const std::string& word, std::size_t position, std::string& written, std::size_t& budget,
                  const std::function<bool(const std::string&)>& visit) {
  if (budget == 0) return false;
  if (position == word.size()) {
    --budget;
    return visit(written);
  }
  const std::size_t size = written.size();
  written += word[position];
  if (any_accented(word, position + 1, written, budget, visit)) return true;
  for (const auto& form : accented_forms(word[position])) {
    written.resize(size);
    written += form;
    if (any_accented(word, position + 1, written, budget, visit)) return true;
  }
  written.resize(size);
  return false;
}

}  // namespace

bool FrenchLexicon::is_word(std::string_view word) const {
  if (word.empty() || word.size() > kLongestWord) return false;
  const std::string typed(word);
  std::lock_guard lock(mutex_);
  if (auto cached = is_word_cache_.find(typed); cached != is_word_cache_.end()) return cached->second;
  if (is_word_cache_.size() >= kCachedWords) is_word_cache_.clear();
  const bool answer = is_word_unlocked(typed);
  is_word_cache_.emplace(typed, answer);
  return answer;
}

bool FrenchLexicon::is_word_unlocked(const std::string& typed) const {
  if (hunspell_->spell(typed)) return true;
  // Typed without accents ("securite"): the same word with its accents is a word. Hunspell's
  // suggestions rarely restore accents, so the accented forms are tried, a bounded number.
  if (text::fold(typed) != typed) return false;
  constexpr std::size_t kAccentCombinations = 512;
  std::size_t budget = kAccentCombinations;
  std::string written;
  return any_accented(typed, 0, written, budget, [&](const std::string& candidate) { return candidate != typed && hunspell_->spell(candidate); });
}

std::vector<std::string> FrenchLexicon::suggestions(std::string_view word, std::size_t limit) const {
  std::vector<std::string> out;
  if (word.empty() || word.size() > kLongestCorrected) return out;
  std::vector<std::string> candidates;
  {
    std::lock_guard lock(mutex_);
    const std::string typed(word);
    if (auto cached = suggestions_cache_.find(typed); cached != suggestions_cache_.end()) {
      candidates = cached->second;
    } else {
      candidates = hunspell_->suggest(typed);
      if (suggestions_cache_.size() >= kCachedWords) suggestions_cache_.clear();
      suggestions_cache_.emplace(typed, candidates);
    }
  }
  for (const auto& candidate : candidates) {
    if (out.size() >= limit) break;
    if (!single_word(candidate)) continue;
    std::string lower = text::lower(candidate);
    if (std::find(out.begin(), out.end(), lower) == out.end()) out.push_back(std::move(lower));
  }
  return out;
}

std::vector<std::string> FrenchLexicon::lemmas(std::string_view word) const {
  std::vector<std::string> out;
  if (word.empty() || word.size() > kLongestWord) return out;
  std::vector<std::string> stems;
  {
    std::lock_guard lock(mutex_);
    stems = hunspell_->stem(std::string(word));
  }
  for (auto& lemma : stems) {
    std::string lower = text::lower(lemma);
    if (lower != word && single_word(lower) && std::find(out.begin(), out.end(), lower) == out.end()) out.push_back(std::move(lower));
  }
  return out;
}

}  // namespace vigie::search
