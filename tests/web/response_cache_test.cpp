#include "web/response_cache.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace vigie::web
