#include "core/text.h"

#include <algorithm>
#include <vector>

#include <utf8proc.h>

#include <cctype>
#include <cstdlib>
#include <memory>

namespace vigie::text {

namespace {

// The length of the well-formed UTF-8 sequence at `i` (1 to 4 bytes), or 0 when the bytes there
// are not one.
std::size_t sequence_length(std::string_view bytes, std::size_t i) {
  const auto c = static_cast<unsigned char>(bytes[i]);
  if (c < 0x80) return 1;
  std::size_t extra = 0;
  char32_t code = 0;
  char32_t minimum = 0;
  if ((c & 0xE0) == 0xC0) {
    extra = 1, code = c & 0x1Fu, minimum = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    extra = 2, code = c & 0x0Fu, minimum = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    extra = 3, code = c & 0x07u, minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + extra >= bytes.size()) return 0;
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto cc = static_cast<unsigned char>(bytes[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    code = (code << 6) | (cc & 0x3Fu);
  }
  if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return extra + 1;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t length = sequence_length(bytes, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string to_valid_utf8(std::string_view bytes) {
  std::string valid;
  valid.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t length = sequence_length(bytes, i);
    if (length == 0) {
      valid += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      valid.append(bytes.substr(i, length));
      i += length;
    }
  }
  return valid;
}

namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

// Characters utf8proc leaves whole that French readers treat as letters pairs or ASCII.
void append_folded_extra(std::string& out, std::string_view folded) {
  for (std::size_t i = 0; i < folded.size();) {
    auto rest = folded.substr(i);
    auto starts = [&](std::string_view s) { return rest.substr(0, s.size()) == s; };
    if (starts("œ")) { out += "oe"; i += 2; }
    else if (starts("æ")) { out += "ae"; i += 2; }
    else if (starts("ß")) { out += "ss"; i += 2; }
    else if (starts("’") || starts("‘") || starts("ʼ")) { out += '\''; i += starts("ʼ") ? 2u : 3u; }
    else if (starts("–") || starts("—") || starts("‑") || starts("‐")) { out += '-'; i += 3; }
    else { out += folded[i]; ++i; }
  }
}

}  // namespace

std::string fold(std::string_view utf8) {
  utf8proc_uint8_t* raw = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                                                      UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD |
                                                      UTF8PROC_IGNORE);
  const auto size = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                                 static_cast<utf8proc_ssize_t>(utf8.size()), &raw, options);
  if (size < 0) {
    // Invalid UTF-8: keep only the ASCII bytes, lower-cased; callers validate input first.
    std::string ascii;
    for (char c : utf8) {
      if (static_cast<unsigned char>(c) < 0x80) ascii += static_cast<char>(std::tolower(c));
    }
    return ascii;
  }
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(raw);
  std::string out;
  out.reserve(static_cast<std::size_t>(size));
  append_folded_extra(out, std::string_view(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(size)));
  return out;
}

std::string lower(std::string_view utf8) {
  utf8proc_uint8_t* raw = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  const auto size = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                                 static_cast<utf8proc_ssize_t>(utf8.size()), &raw, options);
  if (size < 0) return fold(utf8);
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(raw);
  return std::string(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(size));
}

namespace {

bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80;
}

// Splits folded text into words of letters and digits joined by `separator`.
std::string join_words(std::string_view folded, char separator, bool abbreviate_saint) {
  std::string out;
  std::size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && !is_word_byte(folded[i])) ++i;
    std::size_t start = i;
    while (i < folded.size() && is_word_byte(folded[i])) ++i;
    if (start == i) break;
    std::string_view word = folded.substr(start, i - start);
    if (abbreviate_saint) {
      if (word == "saint") word = "st";
      else if (word == "sainte") word = "ste";
    }
    if (!out.empty()) out += separator;
    out += word;
  }
  return out;
}

}  // namespace

std::string place_key(std::string_view utf8) { return join_words(fold(utf8), ' ', true); }

std::string slugify(std::string_view utf8, std::size_t max_length) {
  std::string slug = join_words(fold(utf8), '-', false);
  // Non-ASCII letters that folding kept (Greek, Cyrillic…) are not URL-friendly: drop them.
  std::string ascii;
  for (char c : slug) {
    if (static_cast<unsigned char>(c) < 0x80) ascii += c;
  }
  while (ascii.find("--") != std::string::npos) ascii.erase(ascii.find("--"), 1);
  while (!ascii.empty() && ascii.front() == '-') ascii.erase(0, 1);
  if (ascii.size() > max_length) {
    ascii.resize(max_length);
    if (auto cut = ascii.rfind('-'); cut != std::string::npos && cut > max_length / 2) ascii.resize(cut);
  }
  while (!ascii.empty() && ascii.back() == '-') ascii.pop_back();
  return ascii.empty() ? std::string("fiche") : ascii;
}

std::size_t length(std::string_view utf8) {
  std::size_t count = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string group_digits(long long value) {
  const bool negative = value < 0;
  std::string digits = std::to_string(negative ? -value : value);
  std::string out;
  const std::size_t first = digits.size() % 3;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (i + 3 - first) % 3 == 0) out += "\u202F";
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  // Three rows of the dynamic programme: two rows back for a swap.
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    std::size_t row_best = current[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) current[j] = std::min(current[j], before[j - 2] + 1);
      row_best = std::min(row_best, current[j]);
    }
    if (row_best > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[m], limit + 1);
}

}  // namespace vigie::text
