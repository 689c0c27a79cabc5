#include "web/prepared_response.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace vigie::web {
namespace {

constexpr std::string_view kDate = "Thu, 03 Dec 2026 12:00:00 GMT";

std::string joined(const WireResponse::Pieces& pieces) {
  std::string out;
  for (const std::string_view piece : pieces) out += piece;
  return out;
}

WireResponse page() {
  return WireResponse(200, "OK", {{"Server", "Vigie"}, {"ETag", "\"v1\""}, {"Content-Length", "5"}}, "hello");
}

TEST(WireResponseTest, Http11KeepAliveWritesNoConnectionField) {
  EXPECT_EQ(joined(page().pieces(WireResponse::Version::http_1_1, WireResponse::Connection::keep_alive, kDate,
                                 WireResponse::Body::included)),
            "HTTP/1.1 200 OK\r\nServer: Vigie\r\nETag: \"v1\"\r\nContent-Length: 5\r\n"
            "Date: Thu, 03 Dec 2026 12:00:00 GMT\r\n\r\nhello");
}

TEST(WireResponseTest, Http11CloseSaysSo) {
  EXPECT_EQ(joined(page().pieces(WireResponse::Version::http_1_1, WireResponse::Connection::close, kDate,
                                 WireResponse::Body::included)),
            "HTTP/1.1 200 OK\r\nServer: Vigie\r\nETag: \"v1\"\r\nContent-Length: 5\r\n"
            "Date: Thu, 03 Dec 2026 12:00:00 GMT\r\nConnection: close\r\n\r\nhello");
}

TEST(WireResponseTest, Http10KeepAliveSaysSoAndCloseIsTheDefault) {
  EXPECT_EQ(joined(page().pieces(WireResponse::Version::http_1_0, WireResponse::Connection::keep_alive, kDate,
                                 WireResponse::Body::included)),
            "HTTP/1.0 200 OK\r\nServer: Vigie\r\nETag: \"v1\"\r\nContent-Length: 5\r\n"
            "Date: Thu, 03 Dec 2026 12:00:00 GMT\r\nConnection: keep-alive\r\n\r\nhello");
  EXPECT_EQ(joined(page().pieces(WireResponse::Version::http_1_0, WireResponse::Connection::close, kDate,
                                 WireResponse::Body::included)),
            "HTTP/1.0 200 OK\r\nServer: Vigie\r\nETag: \"v1\"\r\nContent-Length: 5\r\n"
            "Date: Thu, 03 Dec 2026 12:00:00 GMT\r\n\r\nhello");
}

TEST(WireResponseTest, HeadKeepsTheFieldsWithoutTheBody) {
  EXPECT_EQ(joined(page().pieces(WireResponse::Version::http_1_1, WireResponse::Connection::keep_alive, kDate,
                                 WireResponse::Body::omitted)),
            "HTTP/1.1 200 OK\r\nServer: Vigie\r\nETag: \"v1\"\r\nContent-Length: 5\r\n"
            "Date: Thu, 03 Dec 2026 12:00:00 GMT\r\n\r\n");
}

TEST(WireResponseTest, NotModifiedHasNoBody) {
  const WireResponse not_modified(304, "Not Modified", {{"ETag", "\"v1\""}}, {});
  EXPECT_EQ(joined(not_modified.pieces(WireResponse::Version::http_1_1, WireResponse::Connection::keep_alive, kDate,
                                       WireResponse::Body::included)),
            "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nDate: Thu, 03 Dec 2026 12:00:00 GMT\r\n\r\n");
}

TEST(WireResponseTest, PiecesPointIntoTheResponseNotIntoACopy) {
  const WireResponse response = page();
  const auto first = response.pieces(WireResponse::Version::http_1_1, WireResponse::Connection::keep_alive, kDate,
                                     WireResponse::Body::included);
  const auto second = response.pieces(WireResponse::Version::http_1_0, WireResponse::Connection::close, kDate,
                                      WireResponse::Body::included);
  EXPECT_EQ(first[1].data(), second[1].data());
  EXPECT_EQ(first[4].data(), second[4].data());
  EXPECT_EQ(first[2].data(), kDate.data()) << "the date is spliced, not copied";
}

TEST(PreparedSlotTest, IsEmptyUntilSetThenKeepsTheFirstValue) {
  PreparedSlot slot;
  EXPECT_EQ(slot.get(), nullptr);
  auto first = std::make_unique<PreparedResponse>();
  const PreparedResponse* expected = first.get();
  EXPECT_EQ(slot.set_once(std::move(first)), expected);
  EXPECT_EQ(slot.set_once(std::make_unique<PreparedResponse>()), expected) << "a later value is dropped";
  EXPECT_EQ(slot.get(), expected);
}

TEST(PreparedSlotTest, ConcurrentSettersAgreeOnOneValue) {
  PreparedSlot slot;
  std::vector<const PreparedResponse*> seen(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] { seen[i] = slot.set_once(std::make_unique<PreparedResponse>()); });
  }
  for (auto& thread : threads) thread.join();
  for (const PreparedResponse* value : seen) EXPECT_EQ(value, slot.get());
}

}  // namespace
}  // namespace vigie::web
