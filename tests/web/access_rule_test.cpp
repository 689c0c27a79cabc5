#include "web/access_rule.h"

#include <gtest/gtest.h>

namespace vigie::web {
namespace {

Request from(std::string address, std::string authorization = {}) {
  Request request;
  request.remote_address = std::move(address);
  if (!authorization.empty()) request.headers.emplace_back("authorization", std::move(authorization));
  return request;
}

TEST(AccessRuleTest, ListedAddressesOnlyByDefault) {
  auto rule = AccessRule::create({"127.0.0.1", "::1"}, "");
  ASSERT_TRUE(rule.ok());
  EXPECT_TRUE(rule->allows(from("127.0.0.1")));
  EXPECT_TRUE(rule->allows(from("::1")));
  EXPECT_TRUE(rule->allows(from("::ffff:127.0.0.1"))) << "IPv4 client on an IPv6 socket";
  EXPECT_FALSE(rule->allows(from("192.0.2.10")));
  EXPECT_FALSE(rule->allows(from("192.0.2.10", "Bearer ")));
  EXPECT_FALSE(rule->allows(from("")));
}

TEST(AccessRuleTest, ATokenOpensAccessFromAnywhere) {
  const std::string token = "jeton-de-supervision-0123456789";
  auto rule = AccessRule::create({}, token);
  ASSERT_TRUE(rule.ok());
  EXPECT_TRUE(rule->allows(from("192.0.2.10", "Bearer " + token)));
  EXPECT_TRUE(rule->allows(from("192.0.2.10", "bearer " + token)));
  EXPECT_FALSE(rule->allows(from("192.0.2.10", "Bearer " + token + "x")));
  EXPECT_FALSE(rule->allows(from("192.0.2.10", "Basic " + token)));
  EXPECT_FALSE(rule->allows(from("127.0.0.1"))) << "no address listed";
}

TEST(AccessRuleTest, AnAddressThatDoesNotParseIsRefused) {
  auto rule = AccessRule::create({"127.0.0.1", "localhost"}, "");
  ASSERT_FALSE(rule.ok());
  EXPECT_NE(rule.error().message.find("localhost"), std::string::npos);
}

}  // namespace
}  // namespace vigie::web
