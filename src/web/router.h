// Maps (method, path) to a handler. Patterns are literal segments and {name} captures of one
// whole segment: "/fiches/{id}", "/api/v1/collectivites/{siren}". Each route has a stable name
// used as the `route` label of the metrics.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "web/http.h"

namespace vigie::web {

using Handler = std::function<Response(const Request&)>;

// Wraps a handler in another (caching, instrumentation…).
using HandlerDecorator = std::function<Handler(Handler)>;
inline HandlerDecorator identity_decorator() {
  return [](Handler handler) { return handler; };
}

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
