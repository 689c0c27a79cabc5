// libFuzzer target for the Cookie header and the CSRF check (web/csrf.h): both the cookie and
// the form's token come from the client.
//
// Besides finding crashes, it checks that a form token is accepted exactly with the cookie it
// was made for: the token handed out for a request (with the cookie it sets, if any) verifies,
// and a fuzzed token verifies only when it is that token.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/csrf.h"
#include "web/http.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigie::web;
  static const Csrf csrf("https://vigie.example/");  // an https site: Secure cookies
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The input is the Cookie header, then, after the first newline, the submitted token.
  const std::size_t newline = input.find('\n');
  const std::string_view cookie_header = input.substr(0, newline);
  const std::string_view submitted = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  Request request;
  request.headers.emplace_back("cookie", std::string(cookie_header));
  static_cast<void>(cookie_value(request, kCsrfCookie));
  static_cast<void>(cookie_value(request, submitted));

  Response response;
  const std::string token = csrf.token_for(request, response);
  Request next = request;
  for (const auto& [name, value] : response.headers) {
    if (name != "Set-Cookie") continue;
    // The browser sends back name=value, the part before the attributes.
    next.headers = {{"cookie", value.substr(0, value.find(';'))}};
  }
  if (!csrf.verify(next, token)) __builtin_trap();
  if (csrf.verify(next, submitted) != (submitted == token)) __builtin_trap();
  if (csrf.verify(request, submitted) && submitted != token) __builtin_trap();
  return 0;
}
