// CSRF protection for the site's POST forms: a signed double-submit token, and the Origin
// header checked.
//
// The browser holds a server-issued value in a cookie (vigie_csrf: HttpOnly, SameSite=Strict,
// Secure when the site is served over HTTPS): a random nonce and the server's HMAC of it, so a
// value the client made up (or planted through a sibling subdomain) is refused. Every form
// carries HMAC(server key, that cookie value) in a hidden field "csrf". A POST is accepted only
// when the cookie is one the server issued, the field matches it, and the request's Origin
// header, when present, is the site's own origin (that of the base URL, or the scheme and the
// Host the request was sent to). A forged cross-site form has neither the cookie (SameSite)
// nor a way to read it, a token copied from the attacker's own visit belongs to another
// cookie, and browsers send Origin on every cross-site POST. Stateless: nothing is stored per
// visitor; the key comes from a secret every node of the instance shares (kept in the database,
// store::Instance::shared_secret), so a form rendered by one node is accepted by another and
// forms left open across a restart still go through.
//
// Pages that carry a token vary per visitor: they must not go through the page cache.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "web/http.h"

namespace vigie::web {

inline constexpr std::string_view kCsrfField = "csrf";
inline constexpr std::string_view kCsrfCookie = "vigie_csrf";

class Csrf {
 public:
  // `base_url`: the site's public address ("https://vigie.example/"); its origin is accepted in
  // Origin headers, and an https address adds the Secure attribute to the cookie.
  // The key is derived from `secret` (at least 32 bytes of randomness, as text): servers given
  // the same secret accept each other's tokens.
  Csrf(std::string_view base_url, std::string_view secret);
  // A key of its own, drawn now: tokens die with the object (tests, a single process).
  explicit Csrf(std::string_view base_url);

  // The token to put in the forms of the page answering `request`; when the request has no
  // cookie issued by this server yet, adds the Set-Cookie header to `response`.
  std::string token_for(const Request& request, Response& response) const;
  // True when the request's cookie was issued by this server, `submitted` (the form's field)
  // matches it, and the Origin header is absent or the site's own.
  bool verify(const Request& request, std::string_view submitted) const;

 private:
  enum class Purpose { cookie, form };
  std::string sign(Purpose purpose, std::string_view value) const;
  bool is_issued_cookie(std::string_view value) const;
  bool is_own_origin(const Request& request) const;

  std::array<unsigned char, 32> key_{};
  std::string site_origin_;  // "https://vigie.example", lower case
  bool secure_cookie_;
};

// The value of cookie `name` in the request's Cookie header, or empty.
std::string cookie_value(const Request& request, std::string_view name);

}  // namespace vigie::web
