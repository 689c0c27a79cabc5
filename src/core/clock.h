// Time, injected so that tests can fix it.
#pragma once

#include <chrono>
#include <string>

namespace vigie {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
  // now() as RFC 3339 UTC with seconds: "2026-11-28T17:15:56Z".
  std::string now_rfc3339() const;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point at) : at_(at) {}
  std::chrono::system_clock::time_point now() const override { return at_; }
  void advance(std::chrono::seconds by) { at_ += by; }

 private:
  std::chrono::system_clock::time_point at_;
};

// RFC 3339 UTC text of a time point, to the second.
std::string format_rfc3339(std::chrono::system_clock::time_point at);

}  // namespace vigie
