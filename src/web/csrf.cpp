#include "web/csrf.h"

#include <sodium.h>

#include <stdexcept>

#include "core/encoding.h"

namespace vigie::web {

namespace {

constexpr std::size_t kCookieBytes = 24;
constexpr std::size_t kCookieLength = 32;  // base64url of 24 bytes

bool plausible_cookie(std::string_view value) {
  return value.size() == kCookieLength && encoding::base64url_decode(value).has_value();
}

}  // namespace

Csrf::Csrf(bool secure_cookie) : secure_cookie_(secure_cookie) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium");
  randombytes_buf(key_.data(), key_.size());
}

std::string Csrf::sign(std::string_view value) const {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(value.data()), value.size(), key_.data());
  return encoding::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

std::string Csrf::token_for(const Request& request, Response& response) const {
  std::string value = cookie_value(request, kCsrfCookie);
  if (!plausible_cookie(value)) {
    std::array<unsigned char, kCookieBytes> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    value = encoding::base64url_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    std::string cookie(kCsrfCookie);
    cookie += "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
    if (secure_cookie_) cookie += "; Secure";
    response.with_header("Set-Cookie", std::move(cookie));
  }
  return sign(value);
}

bool Csrf::verify(const Request& request, std::string_view submitted) const {
  const std::string value = cookie_value(request, kCsrfCookie);
  if (!plausible_cookie(value) || submitted.empty()) return false;
  const std::string expected = sign(value);
  return expected.size() == submitted.size() && sodium_memcmp(expected.data(), submitted.data(), expected.size()) == 0;
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
