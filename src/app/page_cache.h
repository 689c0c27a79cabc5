// Caching of GET responses for anonymous readers, invalidated by the store's change sequence:
// writes made by this process are seen at once (refresh()), writes by another process (the
// command line) within `poll_interval`.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "store/use_case_store.h"
#include "web/response_cache.h"
#include "web/router.h"

namespace vigie::app {

class PageCache {
 public:
  PageCache(store::UseCaseStore& store, std::chrono::milliseconds poll_interval = std::chrono::milliseconds(250));

  // A decorator caching 200 responses of requests without Authorization, keyed by target;
  // answers If-None-Match itself when the cached response has an ETag.
  web::HandlerDecorator decorator();
  // Reads the change sequence now (call after a write).
  void refresh();

 private:
  std::int64_t generation();

  store::UseCaseStore& store_;
  const std::chrono::milliseconds poll_interval_;
  web::ResponseCache cache_;
  std::atomic<std::int64_t> generation_{0};
  std::atomic<std::int64_t> checked_at_ns_{0};  // steady clock of the last read of the sequence
};

}  // namespace vigie::app
