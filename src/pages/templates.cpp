#include "pages/templates.h"

#include <fmt/format.h>

#include "core/file.h"
#include "pages/french_spacing.h"

namespace vigie::pages {

namespace {

// `source` with each partial tag ({{> name}}) replaced by that partial's source, itself with
// its partials, up to a depth that only a partial including itself reaches. Tags of unknown
// partials are kept (they render nothing).
Result<std::string> inline_partials(const std::string& source, const std::map<std::string, std::string, std::less<>>& partials,
                                    const std::string& template_name, int depth = 0) {
  constexpr int kMaxDepth = 8;
  if (depth > kMaxDepth) return Error::invalid(fmt::format("gabarit {} : partiels imbriqués trop profondément (un partiel s'inclut-il lui-même ?)", template_name));
  std::string out;
  std::size_t position = 0;
  while (true) {
    const std::size_t open = source.find("{{>", position);
    if (open == std::string::npos) break;
    const std::size_t close = source.find("}}", open);
    if (close == std::string::npos) break;
    std::string_view name(source.data() + open + 3, close - open - 3);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    out.append(source, position, open - position);
    if (auto partial = partials.find(name); partial != partials.end()) {
      TRY_ASSIGN(std::string expanded, inline_partials(partial->second, partials, template_name, depth + 1));
      out += expanded;
    } else {
      out.append(source, open, close + 2 - open);
    }
    position = close + 2;
  }
  out.append(source, position, std::string::npos);
  return out;
}

}  // namespace

Result<std::shared_ptr<const Templates>> Templates::load(const std::filesystem::path& directory) {
  auto templates = std::make_shared<Templates>();
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory, error)) {
    if (entry.path().extension() != ".mustache") continue;
    TRY_ASSIGN(std::string source, read_file(entry.path()));
    if (auto parsed = mustache::Template::parse(source); !parsed.ok()) {
      return Error::invalid(fmt::format("{} : gabarit invalide ({})", entry.path().string(), parsed.error().message));
    }
    const std::string name = entry.path().stem().string();
    if (entry.path().parent_path().filename() == "partials") {
      if (name.find('-') == std::string::npos) {
        return Error::invalid(fmt::format("{} : le nom d'un gabarit partiel doit contenir un tiret (il partage l'espace de noms des vues)",
                                          entry.path().string()));
      }
      templates->partials_.emplace(name, std::move(source));
    }
    else {
      templates->sources_.emplace(name, std::move(source));
    }
  }
  if (error) return Error::unavailable(fmt::format("{} : dossier des gabarits illisible ({})", directory.string(), error.message()));
  if (templates->sources_.empty()) return Error::unavailable(fmt::format("{} : aucun gabarit trouvé", directory.string()));
  // Partials are written into the templates that use them, once, and each template parsed once.
  for (const auto& [name, source] : templates->sources_) {
    TRY_ASSIGN(const std::string expanded, inline_partials(source, templates->partials_, name));
    auto parsed = mustache::Template::parse(expanded);
    if (!parsed.ok()) return Error::invalid(fmt::format("{} : gabarit invalide une fois les partiels insérés ({})", name, parsed.error().message));
    templates->parsed_.emplace(name, std::move(parsed).value());
  }
  return std::shared_ptr<const Templates>(std::move(templates));
}

std::string Templates::render(const std::string& name, const nlohmann::json& view, Spacing spacing) const {
  auto found = parsed_.find(name);
  if (found == parsed_.end()) return fmt::format("<!-- gabarit inconnu : {} -->", name);
  std::string html;
  html.reserve(16 * 1024);
  found->second.render(view, html);
  return spacing == Spacing::french ? french_spacing(html) : html;
}

}  // namespace vigie::pages
