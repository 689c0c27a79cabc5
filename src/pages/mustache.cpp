#include "pages/mustache.h"

#include <fmt/format.h>

#include <algorithm>

namespace vigie::pages::mustache {

using nlohmann::json;

void append_escaped(std::string& out, std::string_view text) {
  std::size_t clean = 0;  // start of the run not appended yet
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* entity = nullptr;
    switch (text[i]) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&#39;"; break;
      default: continue;
    }
    out.append(text.substr(clean, i - clean));
    out += entity;
    clean = i + 1;
  }
  out.append(text.substr(clean));
}

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (is_blank(text.front()) || text.front() == '\n')) text.remove_prefix(1);
  while (!text.empty() && (is_blank(text.back()) || text.back() == '\n')) text.remove_suffix(1);
  return text;
}

std::size_t line_of(std::string_view source, std::size_t position) {
  return 1 + static_cast<std::size_t>(std::count(source.begin(), source.begin() + static_cast<std::ptrdiff_t>(position), '\n'));
}

std::vector<std::string> split_name(std::string_view name) {
  std::vector<std::string> path;
  if (name == ".") return path;
  for (std::size_t start = 0;;) {
    const std::size_t dot = name.find('.', start);
    path.emplace_back(name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return path;
}

bool truthy(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return false;
    case json::value_t::boolean: return value.get<bool>();
    case json::value_t::string: return !value.get_ref<const std::string&>().empty();
    case json::value_t::array: return !value.empty();
    default: return true;  // objects, numbers
  }
}

// The value `path` names: its first part looked up from the top of the stack down, the others
// inside what the first found.
const json* lookup(const std::vector<std::string>& path, const std::vector<const json*>& stack) {
  if (path.empty()) return stack.back();
  for (auto context = stack.rbegin(); context != stack.rend(); ++context) {
    if (!(*context)->is_object()) continue;
    auto found = (*context)->find(path.front());
    if (found == (*context)->end()) continue;
    const json* value = &*found;
    for (std::size_t part = 1; part < path.size(); ++part) {
      if (!value->is_object()) return nullptr;
      auto inner = value->find(path[part]);
      if (inner == value->end()) return nullptr;
      value = &*inner;
    }
    return value;
  }
  return nullptr;
}

}  // namespace

Result<Template> Template::parse(std::string_view source) {
  Template parsed;
  std::vector<std::size_t> open_sections;  // indices of the section nodes not closed yet
  std::string pending;                     // text since the last tag
  auto flush = [&] {
    if (!pending.empty()) parsed.nodes_.push_back({Kind::text, std::move(pending), {}, 0});
    pending.clear();
  };
  auto error = [&](std::size_t position, std::string_view what) {
    return Error::invalid(fmt::format("ligne {} : {}", line_of(source, position), what));
  };

  std::size_t position = 0;
  while (position < source.size()) {
    const std::size_t open = source.find("{{", position);
    if (open == std::string_view::npos) {
      pending.append(source.substr(position));
      break;
    }
    const bool triple = source.compare(open, 3, "{{{") == 0;
    const std::size_t close = source.find(triple ? "}}}" : "}}", open + (triple ? 3 : 2));
    if (close == std::string_view::npos) return error(open, "balise non fermée");
    const std::size_t tag_end = close + (triple ? 3 : 2);
    std::string_view body = source.substr(open + (triple ? 3 : 2), close - open - (triple ? 3 : 2));
    const char sigil = triple ? '{' : (body.empty() ? ' ' : body.front());
    if (!triple && std::string_view("#^/!>&=").find(sigil) != std::string_view::npos) body.remove_prefix(1);
    if (sigil == '=') return error(open, "changement de délimiteurs non pris en charge");
    const std::string_view name = trim(body);

    // A section, inverted, closing, comment or partial tag alone on its line takes the line.
    std::size_t text_end = open;
    std::size_t next = tag_end;
    if (std::string_view("#^/!>").find(sigil) != std::string_view::npos) {
      const std::size_t newline_before = source.rfind('\n', open == 0 ? 0 : open - 1);
      const std::size_t line_start = newline_before == std::string_view::npos || open == 0 ? 0 : newline_before + 1;
      std::size_t line_end = tag_end;
      while (line_end < source.size() && is_blank(source[line_end])) ++line_end;
      const bool alone_before = line_start >= position &&
                                std::all_of(source.begin() + static_cast<std::ptrdiff_t>(line_start),
                                            source.begin() + static_cast<std::ptrdiff_t>(open), is_blank);
      const bool alone_after = line_end == source.size() || source[line_end] == '\n';
      if (alone_before && alone_after) {
        text_end = line_start;
        next = line_end == source.size() ? line_end : line_end + 1;
      }
    }
    pending.append(source.substr(position, text_end - position));
    position = next;

    if (sigil == '!' || sigil == '>') continue;  // comments; partials were written in before
    if (name.empty()) return error(open, "balise sans nom");
    flush();
    switch (sigil) {
      case '#':
      case '^':
        open_sections.push_back(parsed.nodes_.size());
        parsed.nodes_.push_back({sigil == '#' ? Kind::section : Kind::inverted, std::string(name), split_name(name), 0});
        break;
      case '/': {
        if (open_sections.empty()) return error(open, fmt::format("fermeture de la section « {} » qui n’est pas ouverte", name));
        Node& section = parsed.nodes_[open_sections.back()];
        if (section.text != name) {
          return error(open, fmt::format("la section « {} » est fermée par « {} »", section.text, name));
        }
        section.end = parsed.nodes_.size();
        open_sections.pop_back();
        break;
      }
      case '{':
      case '&': parsed.nodes_.push_back({Kind::raw, std::string(name), split_name(name), 0}); break;
      default: parsed.nodes_.push_back({Kind::escaped, std::string(name), split_name(name), 0}); break;
    }
  }
  flush();
  if (!open_sections.empty()) {
    return Error::invalid(fmt::format("section « {} » jamais fermée", parsed.nodes_[open_sections.back()].text));
  }
  return parsed;
}

void Template::render_range(std::size_t begin, std::size_t end, std::vector<const json*>& stack, std::string& out) const {
  for (std::size_t i = begin; i < end;) {
    const Node& node = nodes_[i];
    switch (node.kind) {
      case Kind::text:
        out += node.text;
        ++i;
        break;
      case Kind::escaped:
      case Kind::raw: {
        if (const json* value = lookup(node.path, stack)) {
          if (value->is_string()) {
            const auto& text = value->get_ref<const std::string&>();
            if (node.kind == Kind::escaped) {
              append_escaped(out, text);
            } else {
              out += text;
            }
          } else if (value->is_number()) {
            out += value->dump();
          }
        }
        ++i;
        break;
      }
      case Kind::section: {
        const json* value = lookup(node.path, stack);
        if (value && truthy(*value)) {
          if (value->is_array()) {
            for (const json& item : *value) {
              stack.push_back(&item);
              render_range(i + 1, node.end, stack, out);
              stack.pop_back();
            }
          } else {
            stack.push_back(value);
            render_range(i + 1, node.end, stack, out);
            stack.pop_back();
          }
        }
        i = node.end;
        break;
      }
      case Kind::inverted: {
        const json* value = lookup(node.path, stack);
        if (!value || !truthy(*value)) render_range(i + 1, node.end, stack, out);
        i = node.end;
        break;
      }
    }
  }
}

void Template::render(const json& view, std::string& out) const {
  std::vector<const json*> stack{&view};
  stack.reserve(8);
  render_range(0, nodes_.size(), stack, out);
}

std::string Template::render(const json& view) const {
  std::string out;
  render(view, out);
  return out;
}

}  // namespace vigie::pages::mustache
