#include "web/csrf.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "core/encoding.h"

namespace vigie::web {

namespace {

constexpr std::size_t kNonceBytes = 24;
constexpr std::size_t kNonceLength = 32;      // base64url of 24 bytes
constexpr std::size_t kSignatureLength = 43;  // base64url of an HMAC-SHA-256, unpadded
constexpr char kSeparator = '.';

std::string lower_case(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

// RFC 6454 §6.2: scheme "://" host [":" port], here as written in the base URL (no default port
// is added or removed: the base URL is written the way browsers will serialise it).
std::string origin_of(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::size_t path = url.find('/', scheme_end + 3);
  return lower_case(url.substr(0, path));
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Csrf::Csrf(std::string_view base_url)
    : site_origin_(origin_of(base_url)), secure_cookie_(lower_case(base_url.substr(0, 8)) == "https://") {
  if (sodium_init() < 0) throw std::runtime_error("libsodium");
  randombytes_buf(key_.data(), key_.size());
}

Csrf::Csrf(std::string_view base_url, std::string_view secret)
    : site_origin_(origin_of(base_url)), secure_cookie_(lower_case(base_url.substr(0, 8)) == "https://") {
  if (sodium_init() < 0) throw std::runtime_error("libsodium");
  // A key of its own purpose, so that the stored secret is never used as an HMAC key directly.
  static constexpr std::string_view kContext = "vigie csrf key v1";
  crypto_generichash(key_.data(), key_.size(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     reinterpret_cast<const unsigned char*>(kContext.data()), kContext.size());
}

std::string Csrf::sign(Purpose purpose, std::string_view value) const {
  // The purpose is part of the signed text, so a cookie value never passes for a form token.
  std::string text(purpose == Purpose::cookie ? "cookie:" : "form:");
  text += value;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size(), key_.data());
  return encoding::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

bool Csrf::is_issued_cookie(std::string_view value) const {
  if (value.size() != kNonceLength + 1 + kSignatureLength || value[kNonceLength] != kSeparator) return false;
  const std::string_view nonce = value.substr(0, kNonceLength);
  return constant_time_equals(sign(Purpose::cookie, nonce), value.substr(kNonceLength + 1));
}

bool Csrf::is_own_origin(const Request& request) const {
  if (!request.has_header("origin")) return true;  // same-origin requests of older browsers, and non-browser clients
  const std::string origin = lower_case(request.header("origin"));
  if (!site_origin_.empty() && origin == site_origin_) return true;
  // The address the browser actually used (a test server on another port, a second name).
  const std::size_t scheme_end = origin.find("://");
  const std::string_view host = request.header("host");
  return scheme_end != std::string::npos && !host.empty() && origin.substr(scheme_end + 3) == lower_case(host);
}

std::string Csrf::token_for(const Request& request, Response& response) const {
  std::string value = cookie_value(request, kCsrfCookie);
  if (!is_issued_cookie(value)) {
    std::array<unsigned char, kNonceBytes> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    const std::string nonce =
        encoding::base64url_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    value = nonce + kSeparator + sign(Purpose::cookie, nonce);
    std::string cookie(kCsrfCookie);
    cookie += "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
    if (secure_cookie_) cookie += "; Secure";
    response.with_header("Set-Cookie", std::move(cookie));
  }
  return sign(Purpose::form, value);
}

bool Csrf::verify(const Request& request, std::string_view submitted) const {
  const std::string value = cookie_value(request, kCsrfCookie);
  if (!is_issued_cookie(value) || submitted.empty() || !is_own_origin(request)) return false;
  return constant_time_equals(sign(Purpose::form, value), submitted);
}

std::string cookie_value(const Request& request, std::string_view name) {
  std::string_view header = request.header("cookie");
  while (!header.empty()) {
    const std::size_t semicolon = header.find(';');
    std::string_view pair = header.substr(0, semicolon);
    header = semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) return std::string(pair.substr(equals + 1));
  }
  return {};
}

}  // namespace vigie::web
