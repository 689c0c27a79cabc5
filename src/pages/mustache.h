// A Mustache template engine rendering straight from nlohmann::json views.
//
// Vigie's pages build their view models as JSON; kainjow's engine needed them copied into its
// own data tree at every render (a fifth of a library page's CPU), then rendered through
// std::function callbacks and a string stream. Here a template is parsed once into a flat list
// of nodes, immutable and shared by every thread, and rendered by walking the JSON in place
// into one output string.
//
// What the templates use of Mustache (the spec's core, without lambdas and delimiter changes):
// {{name}} (HTML-escaped), {{{name}}} and {{&name}} (raw), {{#name}}…{{/name}} sections,
// {{^name}}…{{/name}} inverted sections, {{! comments}}, dotted names (status.label) and the
// implicit iterator {{.}}. Partials are written into templates before parsing (templates.h);
// a partial tag left (an unknown partial) renders nothing. A tag alone on its line (section,
// inverted, closing, comment, partial) takes its line with it, as the spec says.
//
// Values, as in mustache.js: null, false, "" and [] are falsy; numbers render as JSON writes
// them; true, objects and arrays render as nothing in {{name}}. A section over an array renders
// once per item, over any other truthy value once with that value on top of the context stack.
// Names are looked up from the top of the stack down; in a dotted name, only the first part is.
// Escaping: & < > " ' become &amp; &lt; &gt; &quot; &#39;.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace vigie::pages::mustache {

class Template {
 public:
  // Parses `source`; an unclosed or mismatched section, an unclosed tag or an unsupported tag
  // (a delimiter change) is an error whose French message gives the line.
  static Result<Template> parse(std::string_view source);

  // Appends the rendering of `view` to `out`. Thread-safe (const, no shared state).
  void render(const nlohmann::json& view, std::string& out) const;
  std::string render(const nlohmann::json& view) const;

 private:
  enum class Kind { text, escaped, raw, section, inverted };
  struct Node {
    Kind kind;
    std::string text;                // text, or the name as written (for messages)
    std::vector<std::string> path;   // the name split at dots; empty for "."
    std::size_t end = 0;             // section, inverted: index of the node after the section
  };

  void render_range(std::size_t begin, std::size_t end, std::vector<const nlohmann::json*>& stack, std::string& out) const;

  std::vector<Node> nodes_;
};

// Appends `text` escaped for HTML (text and attribute values).
void append_escaped(std::string& out, std::string_view text);

}  // namespace vigie::pages::mustache
