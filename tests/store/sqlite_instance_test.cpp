#include "store/sqlite/sqlite_instance.h"

#include <gtest/gtest.h>

#include "tests/support/fixtures.h"

namespace vigie::store::sqlite {
namespace {

TEST(SqliteInstanceTest, AnswersAndKeepsTheVersionOfEachSource) {
  test::TempDir dir;
  auto pool = ConnectionPool::open(dir.file("vigie.db"));
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  SqliteInstance sqlite(**pool);
  Instance& instance = sqlite;
  EXPECT_TRUE(instance.ping().ok());
  auto never = instance.source_version("demo:data/demo/fiches.json");
  ASSERT_TRUE(never.ok());
  EXPECT_EQ(*never, "");
  ASSERT_TRUE(instance.record_source_version("demo:data/demo/fiches.json", "abc", "2026-12-03T10:00:00Z").ok());
  ASSERT_TRUE(instance.record_source_version("demo:data/demo/fiches.json", "def", "2026-12-03T11:00:00Z").ok());
  ASSERT_TRUE(instance.record_source_version("autre", "1", "2026-12-03T11:00:00Z").ok());
  EXPECT_EQ(instance.source_version("demo:data/demo/fiches.json").value(), "def");
  EXPECT_EQ(instance.source_version("autre").value(), "1");
}

}  // namespace
}  // namespace vigie::store::sqlite
