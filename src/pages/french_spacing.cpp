#include "pages/french_spacing.h"

#include <array>

namespace vigie::pages {

namespace {

constexpr std::string_view kNoBreakSpace = "\xC2\xA0";              // U+00A0
constexpr std::string_view kNarrowNoBreakSpace = "\xE2\x80\xAF";    // U+202F
constexpr char kGuillemetLead = '\xC2';                             // « is C2 AB, » is C2 BB
constexpr char kOpeningGuillemetTrail = '\xAB';
constexpr char kClosingGuillemetTrail = '\xBB';

// A word longer than this before a mark is not a French word (an address, a long identifier).
constexpr std::size_t kLongestWord = 128;

constexpr std::array<bool, 256> table_of(std::string_view bytes) {
  std::array<bool, 256> table{};
  for (const char c : bytes) table[static_cast<unsigned char>(c)] = true;
  return table;
}

// Bytes where the copy of text stops to look: tags, character references, the four marks and
// the lead byte of the guillemets. Everything else is copied in runs.
constexpr auto kTextStops = table_of("<&:;!?\xC2");
// Characters that, inside a word, show it is no French word (an address, a query string, a
// file name, an identifier): no space is inserted before a mark that follows it.
constexpr auto kNotInFrenchWords = table_of("/@=._\\%~+:#");
// Elements whose content is code or typed text, copied as written.
constexpr std::string_view kVerbatimElements[] = {"script", "style", "pre", "code", "kbd", "samp", "textarea"};

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with(std::string_view text, std::size_t at, std::string_view prefix) {
  return text.size() - at >= prefix.size() && text.compare(at, prefix.size(), prefix) == 0;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (lower(a[k]) != lower(b[k])) return false;
  }
  return true;
}

bool is_verbatim(std::string_view name) {
  for (const auto element : kVerbatimElements) {
    if (equals_ignoring_case(name, element)) return true;
  }
  return false;
}

// True when `text` holds, at `at`, a space that does not break: U+00A0, U+202F, or their
// character references as our templates may write them.
bool no_break_space_at(std::string_view text, std::size_t at) {
  return starts_with(text, at, kNoBreakSpace) || starts_with(text, at, kNarrowNoBreakSpace) || starts_with(text, at, "&nbsp;") ||
         starts_with(text, at, "&#160;") || starts_with(text, at, "&#8239;");
}

bool ends_with_no_break_space(std::string_view text) {
  return text.ends_with(kNoBreakSpace) || text.ends_with(kNarrowNoBreakSpace) || text.ends_with("&nbsp;") ||
         text.ends_with("&#160;") || text.ends_with("&#8239;");
}

// What may follow a mark that is French punctuation: the end of the text (or a tag), a space,
// another mark or closing sign, a closing guillemet or quotation mark, an ellipsis.
bool may_follow_mark(std::string_view html, std::size_t at) {
  if (at >= html.size()) return true;
  const char c = html[at];
  if (is_ascii_space(c)) return true;
  switch (c) {
    case '<': case '.': case ',': case ';': case ':': case '!': case '?': case ')': case ']': case '"': case '&': return true;
    default: break;
  }
  return starts_with(html, at, "\xC2\xBB") || starts_with(html, at, kNoBreakSpace) || starts_with(html, at, "\xE2\x80");
}

// The code point that ends `text` (UTF-8), or 0.
char32_t last_code_point(std::string_view text) {
  if (text.empty()) return 0;
  std::size_t start = text.size() - 1;
  while (start > 0 && text.size() - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  const auto lead = static_cast<unsigned char>(text[start]);
  const std::size_t length = text.size() - start;
  if (lead < 0x80) return length == 1 ? lead : 0;
  char32_t code = 0;
  int trail = 0;
  if ((lead & 0xE0) == 0xC0) { code = lead & 0x1Fu; trail = 1; }
  else if ((lead & 0xF0) == 0xE0) { code = lead & 0x0Fu; trail = 2; }
  else if ((lead & 0xF8) == 0xF0) { code = lead & 0x07u; trail = 3; }
  if (static_cast<std::size_t>(trail) + 1 != length) return 0;
  for (std::size_t k = start + 1; k < text.size(); ++k) code = (code << 6) | (static_cast<unsigned char>(text[k]) & 0x3Fu);
  return code;
}

// A letter of the Latin scripts French writes with, a closing parenthesis or a closing guillemet.
bool ends_a_word(char32_t c) {
  if (c < 0x80) return is_ascii_letter(static_cast<char>(c)) || c == ')';
  if (c == 0xBB) return true;
  return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x1E00 && c <= 0x1EFF);
}

// True when the text written since `text_start` ends with a French word: a letter, within a
// word free of the characters of addresses and identifiers.
bool ends_with_french_word(std::string_view out, std::size_t text_start) {
  if (!ends_a_word(last_code_point(out))) return false;
  std::size_t k = out.size();
  while (k > text_start && !is_ascii_space(out[k - 1])) {
    if (out.size() - k >= kLongestWord || kNotInFrenchWords[static_cast<unsigned char>(out[k - 1])]) return false;
    --k;
  }
  return true;
}

// The number of plain spaces ending `out` after `text_start`.
std::size_t trailing_spaces(std::string_view out, std::size_t text_start) {
  std::size_t count = 0;
  while (out.size() - count > text_start && out[out.size() - count - 1] == ' ') ++count;
  return count;
}

// Copies the markup starting at html[at] == '<' (a tag with its attributes, a comment, a
// doctype), and the content of a verbatim element up to its end tag; returns where text resumes.
std::size_t copy_markup(std::string_view html, std::size_t at, std::string& out) {
  const std::size_t size = html.size();
  std::size_t end;
  if (starts_with(html, at, "<!--")) {
    const std::size_t close = html.find("-->", at + 4);
    end = close == std::string_view::npos ? size : close + 3;
    out.append(html.substr(at, end - at));
    return end;
  }
  std::size_t position = at + 1;
  const bool end_tag = html[position] == '/';
  if (end_tag) ++position;
  const std::size_t name_start = position;
  while (position < size && (is_ascii_letter(html[position]) || (html[position] >= '0' && html[position] <= '9') || html[position] == '-')) ++position;
  const std::string_view name = html.substr(name_start, position - name_start);
  // To the '>' that ends the tag, over quoted attribute values (which may hold '>').
  while (position < size && html[position] != '>') {
    const char c = html[position];
    if (c == '"' || c == '\'') {
      const std::size_t close = html.find(c, position + 1);
      position = close == std::string_view::npos ? size : close + 1;
    } else {
      ++position;
    }
  }
  end = position < size ? position + 1 : size;
  if (!end_tag && !name.empty() && is_verbatim(name) && html[end - 2] != '/') {
    // To the end tag of the same name, whatever the content holds.
    std::size_t search = end;
    while (true) {
      const std::size_t close = html.find("</", search);
      if (close == std::string_view::npos) { end = size; break; }
      const std::size_t close_name = close + 2;
      if (size - close_name >= name.size() && equals_ignoring_case(html.substr(close_name, name.size()), name) &&
          (close_name + name.size() == size || !is_ascii_letter(html[close_name + name.size()]))) {
        const std::size_t tag_end = html.find('>', close_name);
        end = tag_end == std::string_view::npos ? size : tag_end + 1;
        break;
      }
      search = close_name;
    }
  }
  out.append(html.substr(at, end - at));
  return end;
}

}  // namespace

std::string french_spacing(std::string_view html) {
  std::string out;
  out.reserve(html.size() + html.size() / 64 + 16);
  const std::size_t size = html.size();
  std::size_t position = 0;
  std::size_t text_start = 0;  // where the current text (between two tags) begins in `out`
  while (position < size) {
    std::size_t run = position;
    while (run < size && !kTextStops[static_cast<unsigned char>(html[run])]) ++run;
    out.append(html.substr(position, run - position));
    position = run;
    if (position >= size) break;
    const char c = html[position];
    switch (c) {
      case '<': {
        const char next = position + 1 < size ? html[position + 1] : '\0';
        if (is_ascii_letter(next) || next == '/' || next == '!' || next == '?') {
          position = copy_markup(html, position, out);
          text_start = out.size();
        } else {
          out += c;
          ++position;
        }
        break;
      }
      case '&': {  // a character reference is copied whole: its ';' is no punctuation
        std::size_t end = position + 1;
        while (end < size && end - position <= 32 && (is_ascii_letter(html[end]) || (html[end] >= '0' && html[end] <= '9') || html[end] == '#')) ++end;
        if (end < size && html[end] == ';' && end > position + 1) ++end;
        else end = position + 1;
        out.append(html.substr(position, end - position));
        position = end;
        break;
      }
      case ':': case ';': case '!': case '?': {
        if (may_follow_mark(html, position + 1)) {
          const std::string_view space = c == ':' ? kNoBreakSpace : kNarrowNoBreakSpace;
          if (const std::size_t spaces = trailing_spaces(out, text_start); spaces > 0) {
            out.resize(out.size() - spaces);
            out += space;
          } else if (ends_with_french_word(out, text_start)) {
            out += space;
          }
        }
        out += c;
        ++position;
        break;
      }
      case kGuillemetLead: {
        const char trail = position + 1 < size ? html[position + 1] : '\0';
        if (trail == kOpeningGuillemetTrail) {
          out.append(html.substr(position, 2));
          position += 2;
          std::size_t spaces = 0;
          while (position + spaces < size && html[position + spaces] == ' ') ++spaces;
          if (spaces > 0 || (position < size && !is_ascii_space(html[position]) && !no_break_space_at(html, position))) out += kNoBreakSpace;
          position += spaces;
        } else if (trail == kClosingGuillemetTrail) {
          if (const std::size_t spaces = trailing_spaces(out, text_start); spaces > 0) {
            out.resize(out.size() - spaces);
            out += kNoBreakSpace;
          } else if (!out.empty() && !is_ascii_space(out.back()) && !ends_with_no_break_space(out)) {
            out += kNoBreakSpace;
          }
          out.append(html.substr(position, 2));
          position += 2;
        } else {
          out += c;
          ++position;
        }
        break;
      }
      default: {  // a byte kTextStops lists without a case here
        out += c;
        ++position;
        break;
      }
    }
  }
  return out;
}

}  // namespace vigie::pages
