// French text helpers: validation, folding for comparison and search, slugs.
#pragma once

#include <string>
#include <string_view>

namespace vigie::text {

// True if `bytes` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool is_valid_utf8(std::string_view bytes);
// `bytes` with each byte that does not belong to a well-formed sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view bytes);

// Accent- and case-insensitive key: NFKD, marks stripped, case folded, ligatures œ/æ expanded,
// typographic apostrophes and dashes made ASCII. "Élodie Œuvre" -> "elodie oeuvre".
// Precondition: valid UTF-8 (invalid sequences are dropped).
std::string fold(std::string_view utf8);

// Lower-cased text keeping its accents (NFC, case folded): "DÉTECTION" -> "détection".
std::string lower(std::string_view utf8);

// Key for matching place names: fold(), every run of non-alphanumeric characters becomes one
// space, and the words "saint"/"sainte" become "st"/"ste", so that "Saint-Étienne",
// "St Etienne" and "st-etienne" share the key "st etienne". Trimmed.
std::string place_key(std::string_view utf8);

// Optimal string alignment distance between `a` and `b` (insertions, deletions, substitutions
// and swaps of two neighbours, byte by byte: meant for folded keys), or `limit` + 1 as soon as
// it exceeds `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

// URL slug: fold(), runs of non-alphanumerics become one '-', trimmed, at most `max_length`
// bytes cut at a word boundary. "Détection des dépôts sauvages !" -> "detection-des-depots-sauvages".
std::string slugify(std::string_view utf8, std::size_t max_length = 80);

// Number of code points in valid UTF-8 (what a person calls "characters").
std::size_t length(std::string_view utf8);

// Trims ASCII whitespace at both ends.
std::string_view trim(std::string_view text);

// Formats an integer with French digit grouping (narrow no-break space): 34969 -> "34 969".
std::string group_digits(long long value);

}  // namespace vigie::text
