#include "web/csrf.h"

#include <gtest/gtest.h>

namespace vigie::web {
namespace {

std::string set_cookie(const Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie") return value;
  }
  return {};
}

// The request a browser sends back with the cookie set by `response`.
Request with_cookie_from(const Response& response, std::string other_cookies = "theme=clair") {
  const std::string cookie = set_cookie(response);
  Request request;
  request.headers.emplace_back("cookie", other_cookies + "; " + cookie.substr(0, cookie.find(';')));
  return request;
}

TEST(CsrfTest, AFormTokenIsAcceptedWithItsCookieOnly) {
  const Csrf csrf(false);
  Response page = Response::html("<form>");
  const std::string token = csrf.token_for(Request{}, page);
  const std::string cookie = set_cookie(page);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);

  const Request back = with_cookie_from(page);
  EXPECT_TRUE(csrf.verify(back, token));
  EXPECT_FALSE(csrf.verify(back, ""));
  EXPECT_FALSE(csrf.verify(back, token.substr(1)));
  EXPECT_FALSE(csrf.verify(Request{}, token)) << "no cookie: a cross-site form";

  // Another visitor's token does not fit this visitor's cookie.
  Response other_page = Response::html("<form>");
  const std::string other_token = csrf.token_for(Request{}, other_page);
  EXPECT_NE(other_token, token);
  EXPECT_FALSE(csrf.verify(back, other_token));
  EXPECT_TRUE(csrf.verify(with_cookie_from(other_page), other_token));
}

TEST(CsrfTest, AKnownCookieIsKeptAndTheTokenIsStable) {
  const Csrf csrf(true);
  Response first = Response::html("");
  const std::string token = csrf.token_for(Request{}, first);
  EXPECT_NE(set_cookie(first).find("; Secure"), std::string::npos);
  const Request back = with_cookie_from(first);
  Response second = Response::html("");
  EXPECT_EQ(csrf.token_for(back, second), token);
  EXPECT_EQ(set_cookie(second), "");
}

TEST(CsrfTest, TokensDoNotSurviveAnotherServerKey) {
  const Csrf csrf(false);
  const Csrf restarted(false);
  Response page = Response::html("");
  const std::string token = csrf.token_for(Request{}, page);
  EXPECT_FALSE(restarted.verify(with_cookie_from(page), token));
}

TEST(CsrfTest, CookieValuesAreReadFromTheHeader) {
  Request request;
  request.headers.emplace_back("cookie", "a=1; vigie_csrf=abc; b=2");
  EXPECT_EQ(cookie_value(request, "vigie_csrf"), "abc");
  EXPECT_EQ(cookie_value(request, "b"), "2");
  EXPECT_EQ(cookie_value(request, "c"), "");
  EXPECT_EQ(cookie_value(request, "vigie"), "");
}

}  // namespace
}  // namespace vigie::web
