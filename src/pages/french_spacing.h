// French spacing of punctuation in rendered HTML, applied once to every page (Templates::render).
//
// In the text between tags, following the Imprimerie nationale's rules (Lexique des règles
// typographiques en usage à l'Imprimerie nationale, « Espaces et ponctuation »):
//   - a NARROW NO-BREAK SPACE (U+202F) before « ; », « ! » and « ? »;
//   - a NO-BREAK SPACE (U+00A0) before « : », after « « » and before « » ».
// A plain space (or a run of them) written there is replaced; where none was written, one is
// inserted only where the mark is clearly French punctuation: after a letter, a closing
// parenthesis or a closing guillemet, followed by a space, the end of the text or another
// mark, and not in a word holding « / », « @ », « = », « . », « _ » and the like (addresses,
// "http://", query strings such as « /api/v1/recherche?q= »). Times (« 10:30 ») and other
// numbers are left as written.
//
// Never touched: tags and their attributes, comments, character references (« &quot; » is not
// a semicolon), and the content of <script>, <style>, <pre>, <code>, <kbd>, <samp> and
// <textarea>. The text is otherwise copied byte for byte.
//
// One pass over the input, linear in its size; idempotent. Input is UTF-8 HTML as our templates
// produce it (values escaped); malformed markup is copied as text, never rejected.
#pragma once

#include <string>
#include <string_view>

namespace vigie::pages {

std::string french_spacing(std::string_view html);

}  // namespace vigie::pages
