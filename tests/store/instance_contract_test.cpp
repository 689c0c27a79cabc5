// store::Instance's contract, on every backend.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/backends.h"

namespace vigie::test {
namespace {

class InstanceContractTest : public testing::TestWithParam<Backend> {};

TEST_P(InstanceContractTest, AnswersAndKeepsTheVersionOfEachSource) {
  BackendStore store(GetParam());
  ASSERT_TRUE(store.ok());
  store::Instance& instance = store.instance();
  EXPECT_TRUE(instance.ping().ok());
  auto never = instance.source_version("demo:data/demo/fiches.json");
  ASSERT_TRUE(never.ok()) << never.error().message;
  EXPECT_EQ(*never, "");
  ASSERT_TRUE(instance.record_source_version("demo:data/demo/fiches.json", "abc", "2026-12-03T10:00:00Z").ok());
  ASSERT_TRUE(instance.record_source_version("demo:data/demo/fiches.json", "def", "2026-12-03T11:00:00Z").ok());
  ASSERT_TRUE(instance.record_source_version("autre", "1", "2026-12-03T11:00:00Z").ok());
  EXPECT_EQ(instance.source_version("demo:data/demo/fiches.json").value(), "def");
  EXPECT_EQ(instance.source_version("autre").value(), "1");
  EXPECT_EQ(instance.source_version("Autre").value(), "") << "sources are told apart byte for byte";
}

TEST_P(InstanceContractTest, ASharedSecretIsDrawnOnceWhoeverAsksFirst) {
  BackendStore store(GetParam());
  ASSERT_TRUE(store.ok());
  auto first = store.instance().shared_secret("csrf", "aaaa", "2026-03-01T00:00:00Z");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, "aaaa");
  EXPECT_EQ(store.instance().shared_secret("csrf", "bbbb", "2026-03-02T00:00:00Z").value(), "aaaa");
  EXPECT_EQ(store.instance().shared_secret("other", "cccc", "2026-03-02T00:00:00Z").value(), "cccc");
  // Nodes starting together: one candidate wins for all.
  std::vector<std::string> seen(8);
  std::vector<std::thread> nodes;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    nodes.emplace_back([&, i] { seen[i] = store.instance().shared_secret("together", std::to_string(i), "t").value(); });
  }
  for (auto& node : nodes) node.join();
  for (const std::string& value : seen) EXPECT_EQ(value, seen.front());
}

TEST_P(InstanceContractTest, RateBucketsAreUpdatedOneCallerAtATime) {
  BackendStore store(GetParam());
  ASSERT_TRUE(store.ok());
  // Eight "nodes" take a token each, ten times, from a bucket of 20: exactly 20 get one.
  std::atomic<int> taken{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> nodes;
  for (int n = 0; n < 8; ++n) {
    nodes.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        bool took = false;
        auto updated = store.instance().update_rate_buckets(
            {"global"},
            [&took](const std::vector<std::optional<store::RateBucket>>& current) {
              store::RateBucket bucket = current.at(0).value_or(store::RateBucket{20, 1});
              took = bucket.tokens >= 1;
              if (took) bucket.tokens -= 1;
              return std::vector<store::RateBucket>{bucket};
            },
            0);
        if (!updated.ok()) ++failed;
        else if (took) ++taken;
      }
    });
  }
  for (auto& node : nodes) node.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(taken.load(), 20);
  // A bucket unused since before `forget_before_ms` is forgotten (about one call in 64 cleans up).
  for (std::int64_t ms = 64; ms <= 64 * 4; ms += 64) {
    ASSERT_TRUE(store.instance()
                    .update_rate_buckets({"adresse:192.0.2.1"},
                                         [ms](const std::vector<std::optional<store::RateBucket>>&) {
                                           return std::vector<store::RateBucket>{{3, ms}};
                                         },
                                         1000)
                    .ok());
  }
  EXPECT_EQ(store.count("SELECT count(*) FROM rate_buckets WHERE key = 'global'"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, InstanceContractTest, testing::Values(Backend::sqlite, Backend::postgres), backend_name);

}  // namespace
}  // namespace vigie::test
