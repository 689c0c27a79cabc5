// What a store says about itself, whatever its backend: whether it answers, and which version
// of each data source loaded into it (the territorial referential, the demonstration library)
// it holds. Backends: store/sqlite/sqlite_instance.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigie::store {

// A token bucket of a rate limit, as stored.
struct RateBucket {
  double tokens = 0;
  std::int64_t updated_ms = 0;  // milliseconds since 1970 (UTC)
};
// Given the buckets asked for (std::nullopt: never used, or forgotten), their new states.
using RateBucketUpdate = std::function<std::vector<RateBucket>(const std::vector<std::optional<RateBucket>>&)>;

// Thread-safe.
class Instance {
 public:
  virtual ~Instance() = default;

  // Succeeds when the database answers a query now; `unavailable` with the reason otherwise.
  virtual Status ping() = 0;
  // The version of `source` last loaded ("" when it never was).
  virtual Result<std::string> source_version(std::string_view source) = 0;
  // Records that `version` of `source` was loaded at `loaded_at` (RFC 3339).
  virtual Status record_source_version(std::string_view source, std::string_view version, std::string_view loaded_at) = 0;
  // The secret `name` every node of this database shares: `candidate` (fresh random bytes, as
  // text) becomes it when there is none yet, at `now`; otherwise the stored one wins, whoever
  // asks first, even at the same time.
  virtual Result<std::string> shared_secret(std::string_view name, std::string_view candidate, std::string_view now) = 0;
  // Reads the buckets `keys` (at most a few), calls `update` with them and stores what it
  // returns, as one step that no other caller, on any node, interleaves with. Forgets, now and
  // then, the buckets unused since `forget_before_ms` (full again by then).
  virtual Status update_rate_buckets(const std::vector<std::string>& keys, const RateBucketUpdate& update,
                                     std::int64_t forget_before_ms) = 0;
};

}  // namespace vigie::store
