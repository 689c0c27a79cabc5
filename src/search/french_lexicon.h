// French word validity and related forms, from Debian's Hunspell dictionary (hunspell-fr,
// MPL 2.0): whether a word a person typed is French (then the search never "corrects" it),
// spelling suggestions for a word that is not, and the lemmas of a form ("publique" ->
// "public").
//
// Thread-safety: Hunspell is not thread-safe; every call takes an internal mutex. Calls are
// made only for the few words of a query that the index does not know, and their answers are
// kept (up to kCachedWords words, then forgotten all at once), since the same mistakes come
// back.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

class Hunspell;

namespace vigie::search {

class FrenchLexicon {
 public:
  // Opens the dictionary `directory`/fr.aff and fr.dic (UTF-8). Fails with `unavailable` naming
  // the missing file.
  static Result<std::unique_ptr<FrenchLexicon>> open(const std::filesystem::path& directory);
  // Debian's location of hunspell-fr.
  static std::filesystem::path default_directory() { return "/usr/share/hunspell"; }
  ~FrenchLexicon();

  // True when `word` (lower case, accents as typed) is a French word, or the same word written
  // without its accents ("securite" for "sécurité").
  bool is_word(std::string_view word) const;
  // Up to `limit` corrections of `word`, lower case, single words only, best first.
  std::vector<std::string> suggestions(std::string_view word, std::size_t limit) const;
  // Lemmas of `word` other than itself ("publiques" -> "public"), lower case.
  std::vector<std::string> lemmas(std::string_view word) const;

 private:
  explicit FrenchLexicon(std::unique_ptr<Hunspell> hunspell);
  // Precondition: mutex_ held.
  bool is_word_unlocked(const std::string& typed) const;
  static constexpr std::size_t kCachedWords = 20'000;
  mutable std::mutex mutex_;  // guards hunspell_ and the caches
  std::unique_ptr<Hunspell> hunspell_;
  mutable std::unordered_map<std::string, bool> is_word_cache_;
  mutable std::unordered_map<std::string, std::vector<std::string>> suggestions_cache_;
};

}  // namespace vigie::search
