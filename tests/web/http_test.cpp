#include "web/http.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace vigie::web {
namespace {

using Items = std::vector<std::pair<std::string, std::string>>;

TEST(QueryParamsTest, KeepsRepeatedKeysInOrder) {
  const QueryParams query = QueryParams::parse("domaine=a&page=2&domaine=b");
  EXPECT_EQ(query.all("domaine"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(query.get("domaine"), "a");
  EXPECT_EQ(query.get("page"), "2");
}

TEST(QueryParamsTest, PlusIsASpaceAndPercentEscapesAreDecoded) {
  const QueryParams query = QueryParams::parse("q=%C3%A9t%C3%A9+x&r=a%2Bb%26c%3Dd");
  EXPECT_EQ(query.get("q"), "été x");
  EXPECT_EQ(query.get("r"), "a+b&c=d");
}

TEST(QueryParamsTest, KeysAreDecodedToo) {
  EXPECT_EQ(QueryParams::parse("cl%C3%A9+1=v").get("clé 1"), "v");
}

TEST(QueryParamsTest, MalformedEscapesAreKeptLiterally) {
  const QueryParams query = QueryParams::parse("a=100%&b=%zz&c=%4&d=%%41");
  EXPECT_EQ(query.get("a"), "100%");
  EXPECT_EQ(query.get("b"), "%zz");
  EXPECT_EQ(query.get("c"), "%4");
  EXPECT_EQ(query.get("d"), "%A");
}

TEST(QueryParamsTest, EmptyValuesArePresentButSkippedByAll) {
  const QueryParams query = QueryParams::parse("a=&b&a=1");
  EXPECT_TRUE(query.has("a"));
  EXPECT_TRUE(query.has("b"));
  EXPECT_EQ(query.get("a", "défaut"), "");
  EXPECT_EQ(query.get("b", "défaut"), "");
  EXPECT_EQ(query.all("a"), (std::vector<std::string>{"1"}));
  EXPECT_TRUE(query.all("b").empty());
}

TEST(QueryParamsTest, AbsentKeyGivesFallback) {
  const QueryParams query = QueryParams::parse("a=1");
  EXPECT_FALSE(query.has("z"));
  EXPECT_EQ(query.get("z", "défaut"), "défaut");
  EXPECT_EQ(query.get("z"), "");
  EXPECT_TRUE(query.all("z").empty());
}

TEST(QueryParamsTest, EmptyPairsAreIgnored) {
  EXPECT_EQ(QueryParams::parse("&&a=1&&").items(), (Items{{"a", "1"}}));
  EXPECT_TRUE(QueryParams::parse("").items().empty());
}

TEST(QueryParamsTest, OnlyTheFirstEqualsSignSplits) {
  EXPECT_EQ(QueryParams::parse("expr=a=b").get("expr"), "a=b");
}

TEST(QueryParamsTest, EncodeRoundTrips) {
  QueryParams query;
  query.add("q", "dépôts sauvages & co");
  query.add("domaine", "a+b");
  query.add("domaine", "");
  query.add("clé=1", "100%");
  const std::string encoded = query.encode();
  EXPECT_EQ(encoded, "q=d%C3%A9p%C3%B4ts%20sauvages%20%26%20co&domaine=a%2Bb&domaine=&cl%C3%A9%3D1=100%25");
  EXPECT_EQ(QueryParams::parse(encoded).items(), query.items());
}

TEST(UrlDecodeTest, PlusIsASpaceOnlyInQueries) {
  EXPECT_EQ(url_decode("a+b%20c", true), "a b c");
  EXPECT_EQ(url_decode("a+b%20c", false), "a+b c");
}

TEST(UrlDecodeTest, DecodesBothHexCases) { EXPECT_EQ(url_decode("%c3%a9%C3%A9", false), "éé"); }

TEST(UrlDecodeTest, DecodesNulSoCallersCanRefuseIt) { EXPECT_EQ(url_decode("a%00b", false), std::string("a\0b", 3)); }

TEST(UrlEncodeTest, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(url_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(url_encode(" /?#[]@!$&'()*+,;=%"), "%20%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25");
}

TEST(UrlEncodeTest, RoundTripsEveryByte) {
  std::string every_byte;
  for (int byte = 0; byte < 256; ++byte) every_byte += static_cast<char>(byte);
  EXPECT_EQ(url_decode(url_encode(every_byte), false), every_byte);
  EXPECT_EQ(url_decode(url_encode(every_byte), true), every_byte);
}

TEST(RequestTest, HeaderLookupIgnoresCase) {
  Request request;
  request.headers = {{"content-type", "text/plain"}, {"accept", "a"}, {"accept", "b"}};
  EXPECT_EQ(request.header("Content-Type"), "text/plain");
  EXPECT_EQ(request.header("ACCEPT"), "a");
  EXPECT_EQ(request.header("cookie"), "");
}

TEST(RequestTest, ParamGivesCapturedValueOrEmpty) {
  Request request;
  request.params = {{"id", "12-detection"}};
  EXPECT_EQ(request.param("id"), "12-detection");
  EXPECT_EQ(request.param("siren"), "");
}

TEST(ResponseTest, FactoriesSetContentTypeAndStatus) {
  EXPECT_EQ(Response::html("<p>x</p>").content_type, "text/html; charset=utf-8");
  const Response json = Response::json("{}", 201);
  EXPECT_EQ(json.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(json.status, 201u);
  EXPECT_EQ(json.body, "{}");
  EXPECT_EQ(Response::text("x", 503).content_type, "text/plain; charset=utf-8");
}

TEST(ResponseTest, RedirectSetsLocation) {
  const Response response = Response::redirect("/fiches/12-x", 303);
  EXPECT_EQ(response.status, 303u);
  EXPECT_EQ(response.headers, (Items{{"Location", "/fiches/12-x"}}));
  EXPECT_EQ(Response::redirect("/").status, 301u);
}

}  // namespace
}  // namespace vigie::web
