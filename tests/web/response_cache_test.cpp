#include "web/response_cache.h"

#include <gtest/gtest.h>

#include "web/prepared_response.h"

namespace vigie::web {
namespace {

std::shared_ptr<const Response> page(const char* body) { return std::make_shared<const Response>(Response::html(body)); }

TEST(ResponseCacheTest, ReturnsWhatWasStoredAtTheSameGeneration) {
  ResponseCache cache;
  EXPECT_EQ(cache.find("/a", 1), nullptr);
  cache.store("/a", 1, page("A"));
  ASSERT_NE(cache.find("/a", 1), nullptr);
  EXPECT_EQ(cache.find("/a", 1)->body, "A");
}

TEST(ResponseCacheTest, NewerGenerationEmptiesTheCache) {
  ResponseCache cache;
  cache.find("/a", 1);
  cache.store("/a", 1, page("A"));
  EXPECT_EQ(cache.find("/a", 2), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ResponseCacheTest, StoreFromAnOlderGenerationIsIgnored) {
  ResponseCache cache;
  cache.find("/a", 2);
  cache.store("/a", 1, page("stale"));
  EXPECT_EQ(cache.find("/a", 2), nullptr);
}

TEST(ResponseCacheTest, FullCacheStartsOver) {
  ResponseCache cache(2);
  cache.find("/", 1);
  cache.store("/a", 1, page("A"));
  cache.store("/b", 1, page("B"));
  cache.store("/c", 1, page("C"));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_NE(cache.find("/c", 1), nullptr);
}

TEST(ResponseCacheTest, AResponseToBeSentPreparedCountsItsSerialisedCopyToo) {
  ResponseCache cache(100, 1000);
  cache.find("a", 1);
  Response page = Response::html(std::string(400, 'x'));
  page.prepared = std::make_shared<PreparedSlot>();
  cache.store("a", 1, std::make_shared<const Response>(std::move(page)));
  EXPECT_EQ(cache.bytes(), 801u);
}

TEST(ResponseCacheTest, ByteBudgetStartsOverAndCountsEveryEntryOnce) {
  ResponseCache cache(100, 1000);
  cache.find("a", 1);  // moves the cache to generation 1
  auto page = std::make_shared<const Response>(Response::html(std::string(400, 'x')));
  cache.store("a", 1, page);
  cache.store("a", 1, page);  // replacing an entry does not count it twice
  EXPECT_EQ(cache.bytes(), 401u);
  cache.store("b", 1, page);
  EXPECT_EQ(cache.size(), 2u);
  cache.store("c", 1, page);  // 1,203 bytes would pass the budget: starts over
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.bytes(), 401u);
  EXPECT_NE(cache.find("c", 1), nullptr);
  EXPECT_EQ(cache.find("a", 1), nullptr);
  cache.store("huge", 1, std::make_shared<const Response>(Response::html(std::string(2000, 'x'))));
  EXPECT_EQ(cache.find("huge", 1), nullptr) << "larger than the whole cache";
  EXPECT_NE(cache.find("c", 1), nullptr);
}

}  // namespace
}  // namespace vigie::web
