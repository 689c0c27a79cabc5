// CSRF protection for the site's POST forms: a signed double-submit token.
//
// The browser holds a random value in a cookie (vigie_csrf: HttpOnly, SameSite=Strict, Secure
// when the site is served over HTTPS); every form carries HMAC(server key, that value) in a
// hidden field "csrf". A POST is accepted only when the field matches the cookie's HMAC. A
// forged cross-site form has neither the cookie (SameSite) nor a way to read it, and a token
// copied from the attacker's own visit belongs to another cookie. Stateless: nothing is stored
// on the server; the key is drawn at start, so forms left open across a restart must be sent
// again (the page says so).
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
  // `secure_cookie`: add the Secure attribute (the site is served over HTTPS).
  explicit Csrf(bool secure_cookie);

  // The token to put in the forms of the page answering `request`; when the request has no
  // valid cookie yet, adds the Set-Cookie header to `response`.
  std::string token_for(const Request& request, Response& response) const;
  // True when `submitted` (the form's field) matches the request's cookie.
  bool verify(const Request& request, std::string_view submitted) const;

 private:
  std::string sign(std::string_view value) const;

  std::array<unsigned char, 32> key_{};
  bool secure_cookie_;
};

// The value of cookie `name` in the request's Cookie header, or empty.
std::string cookie_value(const Request& request, std::string_view name);

}  // namespace vigie::web
