// store::Instance's contract, on every backend.
#include <gtest/gtest.h>

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

INSTANTIATE_TEST_SUITE_P(Backends, InstanceContractTest, testing::Values(Backend::sqlite, Backend::postgres), backend_name);

}  // namespace
}  // namespace vigie::test
