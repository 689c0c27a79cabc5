#include "web/conditional.h"

#include <gtest/gtest.h>

namespace vigie::web {
namespace {

Request with(std::vector<std::pair<std::string, std::string>> headers) {
  Request request;
  request.headers = std::move(headers);
  return request;
}

Response page(std::string etag) {
  Response response = Response::html("<p>page</p>");
  response.with_header("ETag", std::move(etag));
  response.with_header("Cache-Control", "public, no-cache");
  response.with_header("Vary", "Accept-Encoding");
  response.with_header("Set-Cookie", "a=b");
  return response;
}

TEST(ConditionalTest, EntityTagsParseOnlyWhenWellFormed) {
  EXPECT_EQ(EntityTag::parse("\"12-3\"")->opaque, "12-3");
  EXPECT_FALSE(EntityTag::parse("\"12-3\"")->weak);
  EXPECT_TRUE(EntityTag::parse("W/\"12-3\"")->weak);
  EXPECT_EQ(EntityTag::parse("\"\"")->opaque, "");
  for (const char* bad : {"12-3", "\"12-3", "12-3\"", "w/\"x\"", "\"a b\"", "\"a\"b\"", ""}) {
    EXPECT_FALSE(EntityTag::parse(bad).has_value()) << bad;
  }
}

TEST(ConditionalTest, StrongAndWeakComparisonFollowTheTableOfRfc9110) {
  // §8.8.3.2, the table's four rows.
  const auto w1 = *EntityTag::parse("W/\"1\"");
  const auto w2 = *EntityTag::parse("W/\"2\"");
  const auto s1 = *EntityTag::parse("\"1\"");
  EXPECT_FALSE(strong_match(w1, w1));
  EXPECT_TRUE(weak_match(w1, w1));
  EXPECT_FALSE(strong_match(w1, w2));
  EXPECT_FALSE(weak_match(w1, w2));
  EXPECT_FALSE(strong_match(w1, s1));
  EXPECT_TRUE(weak_match(w1, s1));
  EXPECT_TRUE(strong_match(s1, s1));
  EXPECT_TRUE(weak_match(s1, s1));
}

TEST(ConditionalTest, IfNoneMatchComparesWeaklyOverAListOrStar) {
  const std::string etag = "\"7-abc\"";
  for (const char* header : {"\"7-abc\"", "W/\"7-abc\"", "\"x\", \"7-abc\"", "\"x\",W/\"7-abc\" ", "*", " , \"7-abc\""}) {
    EXPECT_EQ(if_none_match(with({{"if-none-match", header}}), etag), Precondition::fails) << header;
  }
  for (const char* header : {"\"7-ab\"", "\"x\", \"y\""}) {
    EXPECT_EQ(if_none_match(with({{"if-none-match", header}}), etag), Precondition::holds) << header;
  }
  EXPECT_EQ(if_none_match(with({}), etag), Precondition::absent);
  EXPECT_EQ(if_none_match(with({{"if-none-match", "7-abc"}}), etag), Precondition::absent) << "malformed: ignored";
}

TEST(ConditionalTest, IfMatchComparesStronglyAndAMalformedValueFails) {
  const std::string etag = "\"7-abc\"";
  EXPECT_EQ(if_match(with({{"if-match", "\"7-abc\""}}), etag), Precondition::holds);
  EXPECT_EQ(if_match(with({{"if-match", "\"x\", \"7-abc\""}}), etag), Precondition::holds);
  EXPECT_EQ(if_match(with({{"if-match", "*"}}), etag), Precondition::holds);
  EXPECT_EQ(if_match(with({{"if-match", "*"}}), ""), Precondition::fails) << "no current representation";
  EXPECT_EQ(if_match(with({{"if-match", "W/\"7-abc\""}}), etag), Precondition::fails) << "weak never matches strongly";
  EXPECT_EQ(if_match(with({{"if-match", "\"7-abd\""}}), etag), Precondition::fails);
  for (const char* malformed : {"7-abc", "3", "\"7-abc", "n'importe quoi", ""}) {
    EXPECT_EQ(if_match(with({{"if-match", malformed}}), etag), Precondition::fails) << malformed;
  }
  EXPECT_EQ(if_match(with({}), etag), Precondition::absent);
}

TEST(ConditionalTest, NotModifiedKeepsTheValidatorsAndCachingHeadersWithoutBody) {
  const Response full = page("\"g5\"");
  auto answer = evaluate_preconditions(with({{"if-none-match", "W/\"g5\""}}), full);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 304u);
  EXPECT_TRUE(answer->body.empty());
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"ETag", "\"g5\""}, {"Cache-Control", "public, no-cache"}, {"Vary", "Accept-Encoding"}};
  EXPECT_EQ(answer->headers, expected) << "no Set-Cookie on a 304";
  EXPECT_FALSE(evaluate_preconditions(with({{"if-none-match", "\"g4\""}}), full).has_value());
  EXPECT_FALSE(evaluate_preconditions(with({}), full).has_value());
}

TEST(ConditionalTest, IfMatchIsEvaluatedBeforeIfNoneMatch) {
  // §13.2.2: step 1 (If-Match) fails first, whatever If-None-Match says.
  const Response full = page("\"g5\"");
  auto answer = evaluate_preconditions(with({{"if-match", "\"g4\""}, {"if-none-match", "\"g5\""}}), full);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 412u);
  answer = evaluate_preconditions(with({{"if-match", "\"g5\""}, {"if-none-match", "\"g5\""}}), full);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 304u);
}

TEST(ConditionalTest, TheGzipVariantHasItsOwnStrongTag) {
  EXPECT_EQ(gzip_variant_etag("\"12-3\""), "\"12-3-gz\"");
  EXPECT_EQ(gzip_variant_etag("W/\"12-3\""), "W/\"12-3\"");
  EXPECT_EQ(gzip_variant_etag("garbage"), "garbage");
}

}  // namespace
}  // namespace vigie::web
