#include "pages/templates.h"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include <unordered_map>

#include "core/file.h"
#include "pages/french_spacing.h"

namespace vigie::pages {

namespace mustache = kainjow::mustache;

namespace {

// kainjow's data only inserts copies (set, push_back take const references), so building a
// view level by level copied every subtree once per level above it: a fifth of the time of a
// library page. Children are moved in place instead: a placeholder is inserted, then
// move-assigned through the (non-const) element the accessors point to.
mustache::data to_data(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data object{mustache::data::type::object};
      for (auto item = value.begin(); item != value.end(); ++item) {
        object.set(item.key(), mustache::data(false));
        *const_cast<mustache::data*>(object.get(item.key())) = to_data(item.value());
      }
      return object;
    }
    case nlohmann::json::value_t::array: {
      mustache::data list{mustache::data::type::list};
      auto& items = const_cast<mustache::basic_list<std::string>&>(list.list_value());
      items.reserve(value.size());
      for (const auto& item : value) items.push_back(to_data(item));
      return list;
    }
    // An empty string is falsy, as in mustache.js: {{#url}}…{{/url}} is skipped when url is "".
    // (kainjow treats every string as truthy; a false renders as nothing in {{url}}.)
    case nlohmann::json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      return text.empty() ? mustache::data(false) : mustache::data(text);
    }
    case nlohmann::json::value_t::boolean: return value.get<bool>() ? mustache::data(true) : mustache::data(false);
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return mustache::data(value.dump());
    default: return mustache::data(false);
  }
}

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

// Parsed templates of one Templates instance, per thread (kainjow's render() is not const).
using ParsedSet = std::unordered_map<std::string, std::unique_ptr<mustache::mustache>>;

}  // namespace

Result<std::shared_ptr<const Templates>> Templates::load(const std::filesystem::path& directory) {
  auto templates = std::make_shared<Templates>();
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory, error)) {
    if (entry.path().extension() != ".mustache") continue;
    TRY_ASSIGN(std::string source, read_file(entry.path()));
    mustache::mustache parsed(source);
    if (!parsed.is_valid()) {
      return Error::invalid(fmt::format("{} : gabarit invalide ({})", entry.path().string(), parsed.error_message()));
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
  // Partials are written into the templates that use them, once: handed over at render time,
  // kainjow parsed a partial again at each use (20 times for the cards of a library page).
  for (auto& [name, source] : templates->sources_) {
    TRY_ASSIGN(source, inline_partials(source, templates->partials_, name));
    mustache::mustache parsed(source);
    if (!parsed.is_valid()) return Error::invalid(fmt::format("{} : gabarit invalide une fois les partiels insérés ({})", name, parsed.error_message()));
  }
  return std::shared_ptr<const Templates>(std::move(templates));
}

std::string Templates::render(const std::string& name, const nlohmann::json& view, Spacing spacing) const {
  thread_local std::unordered_map<const Templates*, ParsedSet> per_thread;
  ParsedSet& parsed = per_thread[this];
  auto found = parsed.find(name);
  if (found == parsed.end()) {
    auto source = sources_.find(name);
    if (source == sources_.end()) return fmt::format("<!-- gabarit inconnu : {} -->", name);
    found = parsed.emplace(name, std::make_unique<mustache::mustache>(source->second)).first;
  }
  std::string html = found->second->render(to_data(view));
  return spacing == Spacing::french ? french_spacing(html) : html;
}

}  // namespace vigie::pages
