#include "web/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vigie::web {
namespace {

using std::chrono::seconds;

class RateLimiterTest : public ::testing::Test {
 protected:
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 12 / 3}};
};

TEST_F(RateLimiterTest, AnAddressGetsItsBurstThenWaitsForTheNextToken) {
  RateLimiter limiter({{3, seconds(60)}, {0, seconds(60)}}, clock_);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  const auto refused = limiter.acquire("192.0.2.1");
  EXPECT_EQ(refused.verdict, RateLimiter::Verdict::address_limited);
  EXPECT_EQ(refused.retry_after, seconds(20));  // 3 tokens a minute: one every 20 s
  // Another address is not affected.
  EXPECT_EQ(limiter.acquire("192.0.2.2").verdict, RateLimiter::Verdict::allowed);
  clock_.advance(seconds(20));
  EXPECT_EQ(limiter.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  EXPECT_EQ(limiter.acquire("192.0.2.1").verdict, RateLimiter::Verdict::address_limited);
}

// Buckets in a map, as a database would keep them for several nodes; `down` makes it fail.
class MapBuckets final : public SharedBuckets {
 public:
  bool down = false;
  std::map<std::string, State> buckets;
  bool update(const std::vector<std::string>& keys, const Update& update, std::chrono::seconds) override {
    if (down) return false;
    std::vector<std::optional<State>> current;
    for (const auto& key : keys) {
      const auto found = buckets.find(key);
      current.push_back(found == buckets.end() ? std::nullopt : std::optional<State>(found->second));
    }
    const auto next = update(current);
    for (std::size_t i = 0; i < keys.size(); ++i) buckets[keys[i]] = next.at(i);
    return true;
  }
};

TEST_F(RateLimiterTest, NodesSharingBucketsShareTheAllowanceAndFallBackToTheirOwnWhenTheStoreFails) {
  MapBuckets shared;
  RateLimiter node_a({{3, seconds(60)}, {0, seconds(60)}}, clock_, &shared);
  RateLimiter node_b({{3, seconds(60)}, {0, seconds(60)}}, clock_, &shared);
  EXPECT_EQ(node_a.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  EXPECT_EQ(node_b.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  EXPECT_EQ(node_a.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  const auto refused = node_b.acquire("192.0.2.1");
  EXPECT_EQ(refused.verdict, RateLimiter::Verdict::address_limited);
  EXPECT_EQ(refused.retry_after, seconds(20));
  clock_.advance(seconds(20));
  EXPECT_EQ(node_b.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  EXPECT_EQ(node_a.acquire("192.0.2.1").verdict, RateLimiter::Verdict::address_limited);
  // The store down: each node counts alone, with a full bucket of its own.
  shared.down = true;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(node_a.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  EXPECT_EQ(node_a.acquire("192.0.2.1").verdict, RateLimiter::Verdict::address_limited);
}

TEST_F(RateLimiterTest, TheGlobalLimitHoldsWhateverTheAddresses) {
  RateLimiter limiter({{100, seconds(60)}, {2, seconds(60)}}, clock_);
  EXPECT_EQ(limiter.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  EXPECT_EQ(limiter.acquire("192.0.2.2").verdict, RateLimiter::Verdict::allowed);
  const auto refused = limiter.acquire("192.0.2.3");
  EXPECT_EQ(refused.verdict, RateLimiter::Verdict::globally_limited);
  EXPECT_EQ(refused.retry_after, seconds(30));
}

TEST_F(RateLimiterTest, ARefusedRequestCostsNothing) {
  RateLimiter limiter({{1, seconds(10)}, {0, seconds(10)}}, clock_);
  EXPECT_EQ(limiter.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  for (int i = 0; i < 5; ++i) {
    clock_.advance(seconds(1));
    EXPECT_NE(limiter.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  }
  clock_.advance(seconds(5));  // 10 s after the first request, retries included
  EXPECT_EQ(limiter.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
}

TEST_F(RateLimiterTest, ZeroMeansNoLimit) {
  RateLimiter limiter({{0, seconds(10)}, {0, seconds(10)}}, clock_);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.acquire("192.0.2.1").verdict, RateLimiter::Verdict::allowed);
  EXPECT_EQ(limiter.tracked_addresses(), 0u);
}

TEST_F(RateLimiterTest, MemoryIsBoundedByForgettingTheLeastRecentAddress) {
  RateLimiter limiter({{1, seconds(3600)}, {0, seconds(3600)}, 3}, clock_);
  EXPECT_EQ(limiter.acquire("a").verdict, RateLimiter::Verdict::allowed);
  EXPECT_EQ(limiter.acquire("b").verdict, RateLimiter::Verdict::allowed);
  EXPECT_EQ(limiter.acquire("c").verdict, RateLimiter::Verdict::allowed);
  EXPECT_NE(limiter.acquire("a").verdict, RateLimiter::Verdict::allowed);  // "a" is now the most recent
  EXPECT_EQ(limiter.acquire("d").verdict, RateLimiter::Verdict::allowed);  // forgets "b"
  EXPECT_EQ(limiter.tracked_addresses(), 3u);
  EXPECT_NE(limiter.acquire("a").verdict, RateLimiter::Verdict::allowed);
  EXPECT_EQ(limiter.acquire("b").verdict, RateLimiter::Verdict::allowed);
}

TEST_F(RateLimiterTest, ConcurrentClientsNeverGetMoreThanTheLimit) {
  RateLimiter limiter({{0, seconds(3600)}, {500, seconds(3600)}, 64}, clock_);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 400; ++i) {
        if (limiter.acquire("192.0.2." + std::to_string(t * 1000 + i)).verdict == RateLimiter::Verdict::allowed) ++allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 500);
}

TEST(ClientKeyTest, IPv6AddressesShareTheirSlash64) {
  EXPECT_EQ(client_key("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(client_key("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(client_key("2001:db8:1:2:aaaa::1"), client_key("2001:db8:1:2:bbbb::2"));
  EXPECT_NE(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:3::1"));
  EXPECT_EQ(client_key("pas une adresse"), "pas une adresse");
}

TEST_F(RateLimiterTest, ADecoratedHandlerAnswers429WithRetryAfterWithoutRunning) {
  RateLimiter limiter({{1, seconds(120)}, {0, seconds(120)}}, clock_);
  int runs = 0;
  const Handler handler = rate_limited(limiter, [](const Request&, unsigned status, const std::string& message) {
    return Response::text(message, status);
  })([&runs](const Request&) {
    ++runs;
    return Response::text("enregistré");
  });
  Request request;
  request.method = Verb::post;
  request.remote_address = "192.0.2.9";
  EXPECT_EQ(handler(request).status, 200u);
  const Response refused = handler(request);
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(runs, 1);
  bool has_retry_after = false;
  for (const auto& [name, value] : refused.headers) {
    if (name == "Retry-After") {
      has_retry_after = true;
      EXPECT_EQ(value, "120");
    }
  }
  EXPECT_TRUE(has_retry_after);
  EXPECT_NE(refused.body.find("réessayez dans 2\u00A0minutes"), std::string::npos) << refused.body;
}

}  // namespace
}  // namespace vigie::web
