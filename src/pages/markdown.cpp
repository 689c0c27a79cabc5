#include "pages/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace vigie::pages {

namespace {

void register_extensions_once() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

void shift_headings(cmark_node* root, int offset) {
  cmark_iter* iter = cmark_iter_new(root);
  cmark_event_type event;
  while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter);
    if (event == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING) {
      const int level = cmark_node_get_heading_level(node) + offset;
      cmark_node_set_heading_level(node, level > 6 ? 6 : level);
    }
  }
  cmark_iter_free(iter);
}

}  // namespace

std::string render_markdown(std::string_view markdown, int heading_offset) {
  register_extensions_once();
  const int options = CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;
  cmark_parser* parser = cmark_parser_new(options);
  for (const char* name : {"table", "strikethrough", "autolink"}) {
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) cmark_parser_attach_syntax_extension(parser, extension);
  }
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  cmark_node* document = cmark_parser_finish(parser);
  shift_headings(document, heading_offset);
  char* html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser));
  std::string result(html);
  std::free(html);
  cmark_node_free(document);
  cmark_parser_free(parser);
  return result;
}

}  // namespace vigie::pages
