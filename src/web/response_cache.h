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
  // Bounded by entries and by bytes (bodies, compressed copies and keys; twice the bodies of a
  // response with a Response::prepared slot, which the server also keeps serialised): a library
  // page with its map panel weighs about 160 kB (with its compressed copy), 320 kB once the
  // server has prepared it, so 10,000 of them would not fit a small server; 384 MB holds the
  // 1,000 pages of the search benchmark.
  explicit ResponseCache(std::size_t max_entries = 10'000, std::size_t max_bytes = 384 * 1024 * 1024)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  // The response stored under `key` at `generation`, or nullptr.
  std::shared_ptr<const Response> find(const std::string& key, std::int64_t generation);
  // Stores `response` under `key`; ignored if the cache has moved to a newer generation.
  // When full (entries or bytes), the cache is emptied (simple and bounded; pages are cheap
  // to rebuild).
  void store(const std::string& key, std::int64_t generation, std::shared_ptr<const Response> response);

  std::size_t size() const;
  std::size_t bytes() const;

 private:
  const std::size_t max_entries_;
  const std::size_t max_bytes_;
  mutable std::shared_mutex mutex_;  // guards generation_ and entries_
  std::int64_t generation_ = -1;
  std::size_t bytes_ = 0;  // of the entries
  std::unordered_map<std::string, std::shared_ptr<const Response>> entries_;
};

}  // namespace vigie::web
