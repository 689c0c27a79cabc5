// Maps (method, path) to a handler. Patterns are literal segments and {name} captures of one
// whole segment: "/fiches/{id}", "/api/v1/collectivites/{siren}". Each route has a stable name
// used as the `route` label of the metrics.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "web/http.h"

namespace vigie::web {

using Handler = std::function<Response(const Request&)>;

// The query parameters a route reads. A cached route is keyed on these only, in a canonical
// order, and its handler sees only these: a parameter it does not read can neither split the
// page cache nor change what the handler renders.
class ReadParams {
 public:
  // Reads no parameter.
  ReadParams() = default;
  // Reads exactly `names`.
  ReadParams(std::initializer_list<std::string_view> names);
  explicit ReadParams(std::vector<std::string> names);

  bool reads(std::string_view name) const;

  // `request` as the handler must see it: only the parameters read, stably sorted by name (the
  // values of one name keep their order), its target rebuilt from them.
  Request canonical(const Request& request) const;

 private:
  std::vector<std::string> names_;  // sorted
};

// Wraps the handler of a route that may be cached, given the parameters it reads.
using CacheDecorator = std::function<Handler(const ReadParams&, Handler)>;
// Caches nothing, but gives handlers the canonical request all the same.
CacheDecorator canonical_only_decorator();

// Wraps any handler (e.g. the rate limit of anonymous writes, web/rate_limiter.h).
using HandlerDecorator = std::function<Handler(Handler)>;
// Wraps nothing.
HandlerDecorator identity_decorator();

class Router {
 public:
  // Registers a route. Precondition: the pattern starts with '/'. A later registration of the
  // same method and pattern replaces the earlier one.
  void add(Verb method, std::string pattern, std::string route_name, Handler handler);

  struct Match {
    enum class Outcome { found, not_found, method_not_allowed } outcome = Outcome::not_found;
    const Handler* handler = nullptr;  // set when found; owned by the router
    std::string route_name;            // "unmatched" when not found
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<Verb> allowed;         // set when method_not_allowed (for the Allow header)
  };

  // Finds the route for `path` (already percent-decoded). A HEAD request matches GET routes.
  // A trailing slash is not significant except for "/". Thread-safe once routes are added.
  Match match(Verb method, std::string_view path) const;

 private:
  struct Route {
    Verb method;
    std::vector<std::string> segments;  // "{name}" for captures
    std::string name;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace vigie::web
