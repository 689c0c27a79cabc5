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
  const Csrf csrf("http://127.0.0.1:8080");
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

TEST(CsrfTest, ServersSharingASecretAcceptEachOthersFormsAndOthersDoNot) {
  const std::string secret = "Xq3v8fN1sYb0Lr6pT2mW9cK4hJ7dG5aE";
  const Csrf node_a("https://vigie.example", secret);
  const Csrf node_b("https://vigie.example", secret);  // another node, or the same after a restart
  const Csrf elsewhere("https://vigie.example", secret + "x");
  Response page = Response::html("<form>");
  const std::string token = node_a.token_for(Request{}, page);
  const Request back = with_cookie_from(page);
  EXPECT_TRUE(node_a.verify(back, token));
  EXPECT_TRUE(node_b.verify(back, token));
  EXPECT_FALSE(elsewhere.verify(back, token));
  EXPECT_FALSE(Csrf("https://vigie.example").verify(back, token));
}

TEST(CsrfTest, AKnownCookieIsKeptAndTheTokenIsStable) {
  const Csrf csrf("https://vigie.example/");
  Response first = Response::html("");
  const std::string token = csrf.token_for(Request{}, first);
  EXPECT_NE(set_cookie(first).find("; Secure"), std::string::npos);
  const Request back = with_cookie_from(first);
  Response second = Response::html("");
  EXPECT_EQ(csrf.token_for(back, second), token);
  EXPECT_EQ(set_cookie(second), "");
}

TEST(CsrfTest, TokensDoNotSurviveAnotherServerKey) {
  const Csrf csrf("http://127.0.0.1:8080");
  const Csrf restarted("http://127.0.0.1:8080");
  Response page = Response::html("");
  const std::string token = csrf.token_for(Request{}, page);
  EXPECT_FALSE(restarted.verify(with_cookie_from(page), token));
}

TEST(CsrfTest, ACookieValueTheServerDidNotIssueIsReplacedAndRefused) {
  const Csrf csrf("http://127.0.0.1:8080");
  // Well-formed base64url of the issued length, but chosen by the client (or planted by a
  // sibling subdomain): the server must not sign it.
  for (const std::string& planted : {std::string(32, 'A'), std::string(32, 'A') + "." + std::string(43, 'B')}) {
    Request request;
    request.headers.emplace_back("cookie", "vigie_csrf=" + planted);
    Response page = Response::html("<form>");
    const std::string token = csrf.token_for(request, page);
    EXPECT_NE(set_cookie(page), "") << planted << ": a fresh cookie replaces it";
    EXPECT_FALSE(csrf.verify(request, token)) << planted;
    EXPECT_TRUE(csrf.verify(with_cookie_from(page), token));
  }
}

TEST(CsrfTest, APostFromAnotherOriginIsRefused) {
  const Csrf csrf("https://vigie.example");
  Response page = Response::html("<form>");
  const std::string token = csrf.token_for(Request{}, page);
  auto post = [&](std::string origin, std::string host) {
    Request request = with_cookie_from(page);
    if (!origin.empty()) request.headers.emplace_back("origin", std::move(origin));
    request.headers.emplace_back("host", std::move(host));
    return csrf.verify(request, token);
  };
  EXPECT_TRUE(post("", "vigie.example")) << "no Origin: older browsers, curl";
  EXPECT_TRUE(post("https://vigie.example", "vigie.example"));
  EXPECT_TRUE(post("HTTPS://Vigie.Example", "vigie.example"));
  EXPECT_TRUE(post("http://127.0.0.1:4242", "127.0.0.1:4242")) << "the address the browser used";
  EXPECT_FALSE(post("https://attaquant.example", "vigie.example"));
  EXPECT_FALSE(post("https://vigie.example.attaquant.example", "vigie.example"));
  EXPECT_FALSE(post("null", "vigie.example")) << "sandboxed or opaque origin";
  EXPECT_FALSE(post("http://127.0.0.1:4242", "127.0.0.1:8080"));
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
