#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace vigie::store::sqlite {
namespace {

TEST(MigrationsTest, FromEmptyReachesLatestVersion) {
  test::TempDir dir;
  auto db = Database::open(dir.file("vigie.db"));
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto version = migrate(**db);
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, latest_schema_version());
  auto statement = (*db)->prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'use_cases'");
  ASSERT_TRUE(statement.ok());
  ASSERT_TRUE(*statement->step());
  EXPECT_EQ(statement->column_int(0), 1);
}

TEST(MigrationsTest, RunningTwiceChangesNothing) {
  test::TempDir dir;
  auto db = Database::open(dir.file("vigie.db"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(migrate(**db).ok());
  auto again = migrate(**db);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, latest_schema_version());
}

TEST(MigrationsTest, NewerDatabaseIsRefused) {
  test::TempDir dir;
  auto db = Database::open(dir.file("vigie.db"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->execute("PRAGMA user_version = 9999").ok());
  auto version = migrate(**db);
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.error().kind, ErrorKind::unavailable);
  EXPECT_NE(version.error().message.find("9999"), std::string::npos);
}

}  // namespace
}  // namespace vigie::store::sqlite
