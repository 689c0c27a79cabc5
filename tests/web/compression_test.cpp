#include "web/compression.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace vigie::web {
namespace {

// Inflates a gzip member with zlib, independently of gzip().
std::string gunzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string out(data.size() * 20 + 1024, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

std::string page_body() {
  std::string body = "<!doctype html><html lang=\"fr\"><body>";
  for (int i = 0; i < 200; ++i) body += "<p>Détection des dépôts sauvages — fiche " + std::to_string(i) + "</p>";
  return body + "</body></html>";
}

TEST(CompressionTest, AcceptEncodingIsReadWithItsWeights) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000, *"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip(",,;;q=,gzipx"));
}

TEST(CompressionTest, GzipRoundTripsAndShrinksPages) {
  const std::string body = page_body();
  const std::string compressed = gzip(body);
  EXPECT_EQ(gunzip(compressed), body);
  EXPECT_LT(compressed.size() * 4, body.size());
  EXPECT_EQ(gunzip(gzip("")), "");
  const std::string fast = gzip(body, GzipLevel::fast);
  EXPECT_EQ(gunzip(fast), body);
  EXPECT_LT(fast.size() * 3, body.size());
}

TEST(CompressionTest, OnlyLargeTextResponsesWithoutChosenEncodingAreCompressed) {
  Response page = Response::html(page_body());
  EXPECT_TRUE(may_compress(page));
  EXPECT_TRUE(may_compress(Response::json(std::string(2000, ' '))));
  Response svg = Response::text(std::string(2000, 'x'));
  svg.content_type = "image/svg+xml";
  EXPECT_TRUE(may_compress(svg));
  EXPECT_FALSE(may_compress(Response::html("<p>court</p>")));
  Response font = Response::text(std::string(5000, 'x'));
  font.content_type = "font/woff2";
  EXPECT_FALSE(may_compress(font));
  // The server gives the compressed variant its own strong ETag (gzip_variant_etag).
  Response with_etag = Response::json(std::string(2000, ' '));
  with_etag.with_header("ETag", "\"1-2\"");
  EXPECT_TRUE(may_compress(with_etag));
  Response encoded = Response::json(std::string(2000, ' '));
  encoded.with_header("Content-Encoding", "gzip");
  EXPECT_FALSE(may_compress(encoded));
  Response error = Response::html(page_body(), 404);
  EXPECT_FALSE(may_compress(error));
  Response already = Response::html(page_body());
  already.with_header("content-encoding", "br");
  EXPECT_FALSE(may_compress(already));
}

TEST(CompressionTest, PrecompressKeepsTheSameBytesForEveryCopy) {
  Response page = Response::html(page_body());
  precompress(page);
  ASSERT_TRUE(page.gzipped);
  EXPECT_EQ(gunzip(*page.gzipped), page.body);
  const Response copy = page;
  EXPECT_EQ(copy.gzipped.get(), page.gzipped.get());
  Response small = Response::html("<p>court</p>");
  precompress(small);
  EXPECT_FALSE(small.gzipped);
}

}  // namespace
}  // namespace vigie::web
