#include "web/log_throttle.h"

#include <gtest/gtest.h>

namespace vigie::web {
namespace {

TEST(LogThrottleTest, OneLineASecondCountingTheSuppressedOnes) {
  LogThrottle throttle(std::chrono::seconds(1));
  const auto start = LogThrottle::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_EQ(throttle.admit(start), 0u);
  for (int i = 1; i <= 500; ++i) EXPECT_FALSE(throttle.admit(start + std::chrono::milliseconds(i)).has_value());
  EXPECT_EQ(throttle.admit(start + std::chrono::milliseconds(1000)), 500u);
  EXPECT_FALSE(throttle.admit(start + std::chrono::milliseconds(1500)).has_value());
  EXPECT_EQ(throttle.admit(start + std::chrono::seconds(5)), 1u);
  EXPECT_EQ(throttle.admit(start + std::chrono::seconds(7)), 0u);
}

}  // namespace
}  // namespace vigie::web
