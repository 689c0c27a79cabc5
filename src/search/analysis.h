// French text analysis shared by indexing and querying, so that both see the same words:
// accents and case folded (text::fold), elisions split ("l'accueil" -> "l" "accueil",
// "qu'il" -> "qu" "il"), hyphens and other punctuation as word breaks, then the Snowball
// French stemmer. Xapian's stemmer neither folds accents nor lower-cases, and its query parser
// skips capitalised words, hence this layer (DESIGN.md, "Build notes").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace vigie::search {

// Folded words of `text`, in order. Elided articles and pronouns (l, d, j, m, n, s, t, c, qu,
// jusqu, lorsqu, puisqu) are dropped, as are words of one letter. Never fails: invalid UTF-8
// bytes are dropped.
std::vector<std::string> words(std::string_view text);

// `words` joined by single spaces: the text as Xapian's TermGenerator should see it.
std::string normalize(std::string_view text);

// True when a folded word holds a digit ("2019", "17e"): a number, which does not filter.
bool has_digit(std::string_view folded_word);

// True for French function words ("de", "des", "pour"…) that a query does not require.
bool is_stopword(std::string_view folded_word);

// `text` HTML-escaped, with every word whose stem is in `stems` wrapped in <mark>…</mark>.
// Accents and case are kept as written; matching uses the same analysis as the index.
std::string highlight_html(std::string_view text, const std::vector<std::string>& stems);

// French Snowball stem of one folded word ("detections" -> "detect"), feminine past
// participles joined to the masculine ("handicapee" -> "handicap"). Thread-safe.
std::string stem(const std::string& word);

// The same stemmer for Xapian's TermGenerator (a new instance; not thread-safe).
Xapian::Stem folded_french_stemmer();

// Term prefixes of the index (Xapian conventions: upper-case prefixes, "Z" for stems).
namespace prefix {
inline constexpr const char* kStem = "Z";
inline constexpr const char* kDomain = "XD";
inline constexpr const char* kTechnique = "XT";
inline constexpr const char* kPurpose = "XP";
inline constexpr const char* kStatus = "XS";
inline constexpr const char* kOrganisationKind = "XK";
inline constexpr const char* kSizeBand = "XB";
inline constexpr const char* kRegion = "XR";
inline constexpr const char* kDepartment = "XE";
inline constexpr const char* kAiAct = "XA";
inline constexpr const char* kProvider = "XF";
inline constexpr const char* kOpenSource = "XO";
inline constexpr const char* kOwner = "XW";
inline constexpr const char* kAssessedOutcome = "XV";  // computed AI Act outcome of an attached classification
inline constexpr const char* kImpactLevel = "XI";      // level of an attached impact assessment
inline constexpr const char* kId = "Q";
}  // namespace prefix

}  // namespace vigie::search
