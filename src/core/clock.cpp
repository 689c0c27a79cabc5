#include "core/clock.h"

#include <fmt/chrono.h>

namespace vigie {

std::string format_rfc3339(std::chrono::system_clock::time_point at) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::time_point_cast<std::chrono::seconds>(at));
}

std::string Clock::now_rfc3339() const { return format_rfc3339(now()); }

}  // namespace vigie
