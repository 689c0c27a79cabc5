// Markdown (CommonMark + GitHub tables, strikethrough and autolinks) to HTML, safely: raw HTML
// in the input is dropped and links with dangerous schemes (javascript:, data:…) are removed
// by cmark-gfm's safe mode. Headings are shifted down by `heading_offset` levels so that a
// fiche's "# Titre" never competes with the page's own h1.
#pragma once

#include <string>
#include <string_view>

namespace vigie::pages {

std::string render_markdown(std::string_view markdown, int heading_offset = 2);

}  // namespace vigie::pages
