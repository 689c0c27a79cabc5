// Who may read an operations endpoint (/metrics): clients connecting from one of a list of
// addresses, or presenting a bearer token. Behind a reverse proxy every client comes from the
// proxy's address: give a token then, or have the proxy refuse the path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "web/http.h"

namespace vigie::web {

class AccessRule {
 public:
  // `addresses`: IPv4 or IPv6 addresses, written as asio reads them ("127.0.0.1", "::1");
  // an IPv4 client seen as IPv4-mapped IPv6 ("::ffff:127.0.0.1") matches its IPv4 form.
  // `token`: empty for none. Fails with `invalid` naming an address that does not parse.
  static Result<AccessRule> create(const std::vector<std::string>& addresses, std::string token);

  // True when the request's remote address is listed or its Authorization carries the token
  // (compared in constant time).
  bool allows(const Request& request) const;

 private:
  std::vector<std::string> addresses_;  // normalised
  std::string token_;
};

}  // namespace vigie::web
