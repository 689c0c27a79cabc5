#include "app/instance_lock.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include "tests/support/temp_dir.h"

namespace vigie::app {
namespace {

TEST(InstanceLockTest, ASecondHolderIsRefusedNamingTheFirstUntilItReleases) {
  test::TempDir dir;
  auto first = InstanceLock::acquire(dir.path() / "donnees", "vigie serve");
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = InstanceLock::acquire(dir.path() / "donnees", "vigie restore");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, ErrorKind::conflict);
  EXPECT_NE(second.error().message.find("processus " + std::to_string(::getpid())), std::string::npos) << second.error().message;
  EXPECT_NE(second.error().message.find("vigie serve"), std::string::npos) << second.error().message;
  first->reset();
  EXPECT_TRUE(InstanceLock::acquire(dir.path() / "donnees", "vigie restore").ok());
}

TEST(InstanceLockTest, DataDirectoriesAreLockedSeparately) {
  test::TempDir dir;
  auto one = InstanceLock::acquire(dir.path() / "un", "vigie serve");
  auto two = InstanceLock::acquire(dir.path() / "deux", "vigie serve");
  EXPECT_TRUE(one.ok());
  EXPECT_TRUE(two.ok());
}

}  // namespace
}  // namespace vigie::app
