#include "search/french_lexicon.h"

#include <fmt/format.h>
#include <hunspell/hunspell.hxx>

#include <algorithm>

#include "core/text.h"

namespace vigie::search {

namespace {

// Hunspell's suggestions get slow on long strings; no French word a person types is longer.
constexpr std::size_t kLongestWord = 40;

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

bool FrenchLexicon::is_word(std::string_view word) const {
  if (word.empty() || word.size() > kLongestWord) return false;
  const std::string typed(word);
  std::lock_guard lock(mutex_);
  if (hunspell_->spell(typed)) return true;
  // Typed without accents: a suggestion that differs only by accents is the same word.
  const std::string folded = text::fold(typed);
  if (folded != typed) return false;
  for (const auto& candidate : hunspell_->suggest(typed)) {
    if (text::fold(candidate) == folded) return true;
  }
  return false;
}

std::vector<std::string> FrenchLexicon::suggestions(std::string_view word, std::size_t limit) const {
  std::vector<std::string> out;
  if (word.empty() || word.size() > kLongestWord) return out;
  std::vector<std::string> candidates;
  {
    std::lock_guard lock(mutex_);
    candidates = hunspell_->suggest(std::string(word));
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
