// What a store says about itself, whatever its backend: whether it answers, and which version
// of each data source loaded into it (the territorial referential, the demonstration library)
// it holds. Backends: store/sqlite/sqlite_instance.h.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace vigie::store {

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
};

}  // namespace vigie::store
