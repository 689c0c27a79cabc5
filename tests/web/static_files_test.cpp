#include "web/static_files.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "tests/support/temp_dir.h"

namespace vigie::web {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() {
    dir_.write("static/css/app.css", "body{color:#222}");
    std::string large;
    for (int i = 0; i < 300; ++i) large += ".c" + std::to_string(i) + "{margin:0 auto;color:#1b1b1b}\n";
    dir_.write("static/css/large.css", large);
    dir_.write("static/.env", "SECRET=1");
    dir_.write("secret.txt", "hors de /static");
  }

  std::optional<Response> get(const std::string& path, std::string if_none_match = {}, std::string accept_encoding = {}) const {
    Request request;
    request.path = path;
    if (!if_none_match.empty()) request.headers.emplace_back("if-none-match", std::move(if_none_match));
    if (!accept_encoding.empty()) request.headers.emplace_back("accept-encoding", std::move(accept_encoding));
    return files_.serve(request);
  }

  static std::string header(const Response& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return {};
  }

  vigie::test::TempDir dir_;
  StaticFiles files_{dir_.path() / "static"};
};

TEST_F(StaticFilesTest, ServesFileWithTypeCacheControlAndEtag) {
  const std::optional<Response> response = get("/static/css/app.css");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200u);
  EXPECT_EQ(response->body, "body{color:#222}");
  EXPECT_EQ(response->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(header(*response, "Cache-Control"), "public, no-cache");
  const std::string etag = header(*response, "ETag");
  ASSERT_GE(etag.size(), 2u);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
}

TEST_F(StaticFilesTest, MatchingIfNoneMatchGives304WithoutBody) {
  const std::string etag = header(*get("/static/css/app.css"), "ETag");
  for (const std::string& if_none_match : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    const std::optional<Response> response = get("/static/css/app.css", if_none_match);
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 304u) << if_none_match;
    EXPECT_TRUE(response->body.empty());
    EXPECT_EQ(header(*response, "ETag"), etag);
  }
}

TEST_F(StaticFilesTest, OtherEtagGivesTheFile) {
  const std::optional<Response> response = get("/static/css/app.css", "\"stale\"");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200u);
}

TEST_F(StaticFilesTest, ChangedFileIsReadAgainWithNewEtag) {
  const std::string first_etag = header(*get("/static/css/app.css"), "ETag");
  const std::filesystem::path file = dir_.path() / "static/css/app.css";
  dir_.write("static/css/app.css", "body{color:#000;margin:0}");
  std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + std::chrono::seconds(2));
  const std::optional<Response> response = get("/static/css/app.css");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "body{color:#000;margin:0}");
  EXPECT_NE(header(*response, "ETag"), first_etag);
}

TEST_F(StaticFilesTest, TextFilesGoCompressedUnderTheirOwnEtag) {
  const auto plain = get("/static/css/large.css");
  const auto compressed = get("/static/css/large.css", {}, "gzip, deflate");
  ASSERT_TRUE(plain && compressed);
  EXPECT_EQ(header(*plain, "Content-Encoding"), "");
  EXPECT_EQ(header(*compressed, "Content-Encoding"), "gzip");
  EXPECT_EQ(header(*plain, "Vary"), "Accept-Encoding");
  EXPECT_LT(compressed->body.size() * 4, plain->body.size());
  EXPECT_NE(header(*plain, "ETag"), header(*compressed, "ETag"));
  // Each validator answers 304 for its own representation only.
  EXPECT_EQ(get("/static/css/large.css", header(*compressed, "ETag"), "gzip")->status, 304u);
  EXPECT_EQ(get("/static/css/large.css", header(*compressed, "ETag"))->status, 200u);
  // A file too small to gain is never compressed.
  EXPECT_EQ(header(*get("/static/css/app.css", {}, "gzip"), "Content-Encoding"), "");
}

TEST_F(StaticFilesTest, RefusesTraversalHiddenFilesAndDirectories) {
  EXPECT_FALSE(get("/static/../secret.txt").has_value());
  EXPECT_FALSE(get("/static/css/../../secret.txt").has_value());
  EXPECT_FALSE(get("/static/..").has_value());
  EXPECT_FALSE(get(std::string("/static/css/app.css\0.png", 24)).has_value());
  EXPECT_FALSE(get("/static/.env").has_value());
  EXPECT_FALSE(get("/static/css").has_value());
  EXPECT_FALSE(get("/static/css/").has_value());
  EXPECT_FALSE(get("/static/").has_value());
  EXPECT_FALSE(get("/static//css/app.css").has_value());
  EXPECT_FALSE(get("/static/missing.js").has_value());
}

TEST(StaticContentTypeTest, KnowsTheAssetsWeShip) {
  EXPECT_EQ(StaticFiles::content_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type_for("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type_for("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::content_type_for("a.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::content_type_for("a.woff"), "font/woff");
  EXPECT_EQ(StaticFiles::content_type_for("a.png"), "image/png");
  EXPECT_EQ(StaticFiles::content_type_for("favicon.ico"), "image/x-icon");
  EXPECT_EQ(StaticFiles::content_type_for("a.json"), "application/json; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type_for("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type_for("site.webmanifest"), "application/manifest+json");
  EXPECT_EQ(StaticFiles::content_type_for("archive.tar"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::content_type_for("dir.css/README"), "application/octet-stream");
}

}  // namespace
}  // namespace vigie::web
