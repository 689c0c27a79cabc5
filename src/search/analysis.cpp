#include "search/analysis.h"

#include <xapian.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.h"

namespace vigie::search {

namespace {

bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80;
}

// French elisions: the part before the apostrophe is dropped ("l'accueil" -> "accueil").
bool is_elided(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kElided = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"};
  for (auto elided : kElided) {
    if (word == elided) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> words(std::string_view text) {
  // fold() lower-cases, strips accents and turns typographic apostrophes into "'".
  const std::string folded = text::fold(text);
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && !is_word_byte(folded[i])) ++i;
    const std::size_t start = i;
    while (i < folded.size() && is_word_byte(folded[i])) ++i;
    if (start == i) break;
    std::string_view word(folded.data() + start, i - start);
    const bool followed_by_apostrophe = i < folded.size() && folded[i] == '\'';
    if (followed_by_apostrophe && is_elided(word)) continue;
    // Non-letter symbols that folding keeps (€, «…) are not words.
    if (static_cast<unsigned char>(word.front()) >= 0x80 && text::length(word) == 1) continue;
    if (word.size() < 2 && !(word[0] >= '0' && word[0] <= '9')) continue;
    out.emplace_back(word);
  }
  return out;
}

std::string normalize(std::string_view text) {
  std::string out;
  for (const auto& word : words(text)) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

bool has_digit(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_stopword(std::string_view word) {
  static constexpr std::array<std::string_view, 36> kStopwords = {
      "le", "la", "les", "de", "des", "du", "un", "une", "et", "ou", "en", "au", "aux", "a", "pour", "par", "sur",
      "dans", "avec", "sans", "son", "sa", "ses", "leur", "leurs", "ce", "ces", "cette", "qui", "que", "est", "sont", "pas", "ne",
      "se", "y"};
  for (auto stopword : kStopwords) {
    if (word == stopword) return true;
  }
  return false;
}

namespace {

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

bool is_letter_or_digit_start(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

}  // namespace

std::string highlight_html(std::string_view text, const std::vector<std::string>& stems) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!is_letter_or_digit_start(c)) {
      append_escaped(out, text.substr(i, 1));
      ++i;
      continue;
    }
    // A word of the original text: letters, digits and any non-ASCII byte (accented letters,
    // but also typographic punctuation, which then simply does not match).
    std::size_t end = i;
    while (end < text.size() && is_letter_or_digit_start(static_cast<unsigned char>(text[end]))) ++end;
    const std::string_view original = text.substr(i, end - i);
    bool matched = false;
    // Most words of a summary are plain ASCII: folded by lower-casing, without utf8proc.
    std::vector<std::string> folded_words;
    if (std::all_of(original.begin(), original.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; })) {
      if (original.size() >= 2 || (original[0] >= '0' && original[0] <= '9')) {
        std::string& word = folded_words.emplace_back(original);
        for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
    } else {
      folded_words = words(original);
    }
    for (const auto& word : folded_words) {
      // Stemming every word of a summary is most of the cost: only words starting like a
      // wanted stem are stemmed (a stem shares its first two letters with its words).
      const bool may_match = std::any_of(stems.begin(), stems.end(), [&](const std::string& wanted) {
        const std::size_t n = std::min<std::size_t>(2, wanted.size());
        return word.compare(0, n, wanted, 0, n) == 0;
      });
      if (!may_match) continue;
      const std::string word_stem = stem(word);
      for (const auto& wanted : stems) matched = matched || wanted == word_stem;
    }
    if (matched) out += "<mark>";
    append_escaped(out, original);
    if (matched) out += "</mark>";
    i = end;
  }
  return out;
}

namespace {

// Snowball's French stemmer expects accents: on folded text it leaves a feminine past
// participle apart from the masculine ("handicapee" -> "handicape", "handicape" -> "handicap").
// Dropping the feminine "e" after "e" first joins them; the index and queries both do it.
std::string without_feminine_participle(const std::string& word) {
  const std::size_t n = word.size();
  if (n > 5 && word.compare(n - 2, 2, "ee") == 0) return word.substr(0, n - 1);
  if (n > 6 && word.compare(n - 3, 3, "ees") == 0) return word.substr(0, n - 2) + "s";
  return word;
}

class FoldedFrenchStemmer final : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override { return french_(without_feminine_participle(word)); }
  std::string get_description() const override { return "vigie-french"; }

 private:
  Xapian::Stem french_{"french"};
};

}  // namespace

Xapian::Stem folded_french_stemmer() { return Xapian::Stem(new FoldedFrenchStemmer); }

std::string stem(const std::string& word) {
  thread_local Xapian::Stem stemmer = folded_french_stemmer();
  return stemmer(word);
}

}  // namespace vigie::search
