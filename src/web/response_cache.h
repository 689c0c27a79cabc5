// Rendered responses kept in memory, tagged with the data generation they were built from
// (the store's change sequence). A request at a newer generation empties the cache, so a page
// is never served older than the data it shows. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "web/http.h"

namespace vigie::web {

class ResponseCache {
 public:
  explicit ResponseCache(std::size_t max_entries = 10'000) : max_entries_(max_entries) {}

  // The response stored under `key` at `generation`, or nullptr.
  std::shared_ptr<const Response> find(const std::string& key, std::int64_t generation);
  // Stores `response` under `key`; ignored if the cache has moved to a newer generation.
  // When full, the cache is emptied (simple and bounded; pages are cheap to rebuild).
  void store(const std::string& key, std::int64_t generation, std::shared_ptr<const Response> response);

  std::size_t size() const;

 private:
  const std::size_t max_entries_;
  mutable std::shared_mutex mutex_;  // guards generation_ and entries_
  std::int64_t generation_ = -1;
  std::unordered_map<std::string, std::shared_ptr<const Response>> entries_;
};

}  // namespace vigie::web
