// Rate limiting for a repetitive log line (accept failures when descriptors run out, say): at
// most one line per interval, each admitted line told how many were suppressed before it.
// Not thread-safe: used from one strand.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace vigie::web {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LogThrottle(Clock::duration interval = std::chrono::seconds(1)) : interval_(interval) {}

  // When a line may be written at `now`: the number of lines suppressed since the last one
  // written. Otherwise nullopt, and this line is counted as suppressed.
  std::optional<std::size_t> admit(Clock::time_point now) {
    if (written_once_ && now - last_written_ < interval_) {
      ++suppressed_;
      return std::nullopt;
    }
    written_once_ = true;
    last_written_ = now;
    const std::size_t suppressed = suppressed_;
    suppressed_ = 0;
    return suppressed;
  }

 private:
  const Clock::duration interval_;
  Clock::time_point last_written_{};
  bool written_once_ = false;
  std::size_t suppressed_ = 0;
};

}  // namespace vigie::web
