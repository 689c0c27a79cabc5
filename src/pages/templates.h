// Mustache templates (templates/*.mustache, pages/mustache.h), parsed once at start-up,
// rendered with a view model given as JSON. Every value is HTML-escaped unless the template uses {{{triple}}}
// braces, which only ever receive HTML produced by our own renderers (Markdown in safe mode,
// SVG). Files under templates/partials/ are available to every template as {{> name}}: they are
// written into the templates that use them at load time (a partial including itself stops
// start-up); their names contain a hyphen, as they once shared the view's namespace.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "pages/mustache.h"

namespace vigie::pages {

// What render() does to the text of what it renders.
enum class Spacing {
  french,     // French spacing of punctuation applied (french_spacing.h): a whole page
  as_written  // left as written: a part that a page rendered with `french` will hold
};

class Templates {
 public:
  // Loads and parses every template; a syntax error stops start-up with a message naming the
  // file and the problem.
  static Result<std::shared_ptr<const Templates>> load(const std::filesystem::path& directory);

  // Renders template `name` (file name without extension), with French spacing of punctuation
  // in its text unless `spacing` says otherwise: the spacing is done once, where the page is
  // rendered, over the templates' own text, the escaped values and the Markdown alike.
  // Thread-safe: the parsed templates are immutable. Precondition: `name` was loaded
  // (checked: returns an error comment otherwise).
  std::string render(const std::string& name, const nlohmann::json& view, Spacing spacing = Spacing::french) const;

 private:
  std::map<std::string, std::string, std::less<>> sources_;   // page templates
  std::map<std::string, std::string, std::less<>> partials_;  // templates/partials/
  std::map<std::string, mustache::Template, std::less<>> parsed_;  // page templates, partials written in
};

}  // namespace vigie::pages
