#include "web/router.h"

#include <algorithm>
#include <cassert>

namespace vigie::web {

namespace {

bool is_capture(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// The part of `path` after the leading '/', without one trailing '/', so that "/fiches/" and
// "/fiches" are the same path and "/" has no segment at all.
std::string_view segments_part(std::string_view path) {
  if (path.empty() || path.front() != '/') return path;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path;
}

std::vector<std::string> split_pattern(std::string_view pattern) {
  std::vector<std::string> segments;
  std::string_view rest = segments_part(pattern);
  if (rest.empty()) return segments;
  for (;;) {
    const std::size_t slash = rest.find('/');
    segments.emplace_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return segments;
}

// Walks `path` against `pattern` without allocating. A capture matches one non-empty segment.
// `on_capture(name, value)` is called for each capture as it is met, even if a later segment
// then fails: collect captures only for a route already known to match.
template <typename OnCapture>
bool walk(const std::vector<std::string>& pattern, std::string_view path, OnCapture on_capture) {
  std::string_view rest = segments_part(path);
  if (path.empty() || path.front() != '/') return false;
  if (rest.empty()) return pattern.empty();
  std::size_t index = 0;
  for (;;) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (index == pattern.size()) return false;
    const std::string& expected = pattern[index];
    if (is_capture(expected)) {
      if (segment.empty()) return false;
      on_capture(std::string_view(expected).substr(1, expected.size() - 2), segment);
    } else if (segment != expected) {
      return false;
    }
    ++index;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return index == pattern.size();
}

bool matches(const std::vector<std::string>& pattern, std::string_view path) {
  return walk(pattern, path, [](std::string_view, std::string_view) {});
}

// True if `a` should win over `b` when both match the same path: at the first segment where
// they differ in kind, a literal beats a capture ("/fiches/nouvelle" over "/fiches/{id}").
bool more_specific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const bool a_capture = is_capture(a[i]);
    const bool b_capture = is_capture(b[i]);
    if (a_capture != b_capture) return !a_capture;
  }
  return false;
}

}  // namespace

void Router::add(Verb method, std::string pattern, std::string route_name, Handler handler) {
  assert(!pattern.empty() && pattern.front() == '/');
  std::vector<std::string> segments = split_pattern(pattern);
  for (Route& route : routes_) {
    if (route.method == method && route.segments == segments) {
      route.name = std::move(route_name);
      route.handler = std::move(handler);
      return;
    }
  }
  routes_.push_back(Route{method, std::move(segments), std::move(route_name), std::move(handler)});
}

Router::Match Router::match(Verb method, std::string_view path) const {
  const Route* best = nullptr;
  bool best_is_exact_method = false;
  const Route* first_matching_path = nullptr;
  for (const Route& route : routes_) {
    if (!matches(route.segments, path)) continue;
    if (first_matching_path == nullptr) first_matching_path = &route;
    // A HEAD request is served by a GET route unless a HEAD route of its own matches.
    const bool exact = route.method == method;
    const bool head_on_get = method == Verb::head && route.method == Verb::get;
    if (!exact && !head_on_get) continue;
    if (best == nullptr || (exact && !best_is_exact_method) ||
        (exact == best_is_exact_method && more_specific(route.segments, best->segments))) {
      best = &route;
      best_is_exact_method = exact;
    }
  }

  Match result;
  if (best != nullptr) {
    result.outcome = Match::Outcome::found;
    result.handler = &best->handler;
    result.route_name = best->name;
    walk(best->segments, path, [&](std::string_view name, std::string_view value) {
      result.params.emplace_back(std::string(name), std::string(value));
    });
    return result;
  }
  if (first_matching_path == nullptr) {
    result.route_name = "unmatched";
    return result;
  }

  result.outcome = Match::Outcome::method_not_allowed;
  result.route_name = first_matching_path->name;
  auto allow = [&](Verb verb) {
    if (std::find(result.allowed.begin(), result.allowed.end(), verb) == result.allowed.end()) {
      result.allowed.push_back(verb);
    }
  };
  for (const Route& route : routes_) {
    if (!matches(route.segments, path)) continue;
    allow(route.method);
    if (route.method == Verb::get) allow(Verb::head);
  }
  return result;
}

ReadParams::ReadParams(std::initializer_list<std::string_view> names) : names_(names.begin(), names.end()) {
  std::sort(names_.begin(), names_.end());
}

ReadParams::ReadParams(std::vector<std::string> names) : names_(std::move(names)) { std::sort(names_.begin(), names_.end()); }

bool ReadParams::reads(std::string_view name) const {
  return std::binary_search(names_.begin(), names_.end(), name, std::less<>());
}

Request ReadParams::canonical(const Request& request) const {
  Request out = request;
  std::vector<std::pair<std::string, std::string>> kept;
  for (const auto& item : request.query.items()) {
    if (reads(item.first)) kept.push_back(item);
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out.query = QueryParams();
  for (auto& [key, value] : kept) out.query.add(std::move(key), std::move(value));
  const std::string path(std::string_view(request.target).substr(0, request.target.find('?')));
  const std::string query = out.query.encode();
  out.target = query.empty() ? path : path + "?" + query;
  return out;
}

HandlerDecorator identity_decorator() {
  return [](Handler handler) { return handler; };
}

CacheDecorator canonical_only_decorator() {
  return [](const ReadParams& params, Handler handler) -> Handler {
    return [params, handler = std::move(handler)](const Request& request) { return handler(params.canonical(request)); };
  };
}

}  // namespace vigie::web
