#include "web/conditional.h"

#include <algorithm>
#include <array>
#include <vector>

namespace vigie::web {

namespace {

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

// etagc = %x21 / %x23-7E / obs-text
bool is_etag_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == 0x21 || (byte >= 0x23 && byte <= 0x7E) || byte >= 0x80;
}

// The entity tags of a list header (§5.6.1: empty elements are allowed and ignored), or
// nullopt when one element is not an entity tag.
std::optional<std::vector<EntityTag>> parse_list(std::string_view header) {
  std::vector<EntityTag> tags;
  while (!header.empty()) {
    // An element runs to its closing quote (a comma is an etagc, so it may sit inside the
    // quotes); a comma or the end must follow.
    const std::string_view rest = trim_spaces(header);
    if (rest.empty()) break;
    if (rest.front() == ',') {
      header = rest.substr(1);
      continue;
    }
    const std::size_t open = rest.find('"');
    if (open == std::string_view::npos) return std::nullopt;
    const std::size_t close = rest.find('"', open + 1);
    if (close == std::string_view::npos) return std::nullopt;
    const std::size_t end = close + 1;
    auto tag = EntityTag::parse(rest.substr(0, end));
    if (!tag) return std::nullopt;
    tags.push_back(std::move(*tag));
    header = trim_spaces(rest.substr(end));
    if (!header.empty() && header.front() != ',') return std::nullopt;
  }
  return tags;
}

enum class Comparison { strong, weak };

Precondition evaluate_list(std::string_view header, std::string_view current_etag, Comparison comparison,
                           Precondition on_match, Precondition on_miss, Precondition on_malformed) {
  if (trim_spaces(header) == "*") return current_etag.empty() ? on_miss : on_match;
  const auto tags = parse_list(header);
  if (!tags || tags->empty()) return on_malformed;
  const auto current = EntityTag::parse(current_etag);
  if (!current) return on_miss;
  const bool matched = std::any_of(tags->begin(), tags->end(), [&](const EntityTag& tag) {
    return comparison == Comparison::strong ? strong_match(tag, *current) : weak_match(tag, *current);
  });
  return matched ? on_match : on_miss;
}

}  // namespace

std::optional<EntityTag> EntityTag::parse(std::string_view text) {
  text = trim_spaces(text);
  EntityTag tag;
  if (text.substr(0, 2) == "W/") {
    tag.weak = true;
    text.remove_prefix(2);
  }
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::nullopt;
  const std::string_view opaque = text.substr(1, text.size() - 2);
  if (!std::all_of(opaque.begin(), opaque.end(), is_etag_char)) return std::nullopt;
  tag.opaque = std::string(opaque);
  return tag;
}

std::string EntityTag::to_string() const { return (weak ? "W/\"" : "\"") + opaque + '"'; }

bool strong_match(const EntityTag& a, const EntityTag& b) { return !a.weak && !b.weak && a.opaque == b.opaque; }
bool weak_match(const EntityTag& a, const EntityTag& b) { return a.opaque == b.opaque; }

Precondition if_match(const Request& request, std::string_view current_etag) {
  if (!request.has_header("if-match")) return Precondition::absent;
  return evaluate_list(request.header("if-match"), current_etag, Comparison::strong, Precondition::holds, Precondition::fails,
                       Precondition::fails);
}

Precondition if_none_match(const Request& request, std::string_view current_etag) {
  if (!request.has_header("if-none-match")) return Precondition::absent;
  return evaluate_list(request.header("if-none-match"), current_etag, Comparison::weak, Precondition::fails, Precondition::holds,
                       Precondition::absent);
}

std::optional<Response> evaluate_preconditions(const Request& request, const Response& response) {
  std::string_view etag;
  for (const auto& [name, value] : response.headers) {
    if (lower_case(name) == "etag") etag = value;
  }
  // Step 1: If-Match (step 2, If-Unmodified-Since, and step 4 do not apply: Vigie sends no
  // Last-Modified).
  if (if_match(request, etag) == Precondition::fails) {
    return Response::text("La ressource a changé depuis votre lecture (en-tête If-Match).", 412);
  }
  // Step 3: If-None-Match, for GET and HEAD.
  if (if_none_match(request, etag) != Precondition::fails) return std::nullopt;
  static constexpr std::array<std::string_view, 8> kKept = {
      "etag", "cache-control", "vary", "content-location", "expires", "access-control-allow-origin",
      "access-control-expose-headers", "strict-transport-security"};
  Response not_modified;
  not_modified.status = 304;
  not_modified.content_type.clear();
  for (const auto& [name, value] : response.headers) {
    if (std::find(kKept.begin(), kKept.end(), lower_case(name)) != kKept.end()) not_modified.headers.emplace_back(name, value);
  }
  return not_modified;
}

std::string gzip_variant_etag(std::string_view etag) {
  auto tag = EntityTag::parse(etag);
  if (!tag || tag->weak) return std::string(etag);
  tag->opaque += "-gz";
  return tag->to_string();
}

}  // namespace vigie::web
