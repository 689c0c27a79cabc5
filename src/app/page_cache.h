// Caching of GET responses for anonymous readers, invalidated by the store's change sequence:
// writes made by this process are seen at once (refresh()), writes by another process (the
// command line) within `poll_interval`.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "store/use_case_store.h"
#include "web/response_cache.h"
#include "web/router.h"

namespace vigie::app {

class PageCache {
 public:
  // `on_change` runs (on the request's thread) whenever a new change sequence is seen after
  // construction, before the cache serves anything from it: the search index catches up there.
  PageCache(store::UseCaseStore& store, std::function<void()> on_change,
            std::chrono::milliseconds poll_interval = std::chrono::milliseconds(250));

  // A decorator caching 200 responses of requests without Authorization, keyed by target;
  // answers If-None-Match itself when the cached response has an ETag.
  web::HandlerDecorator decorator();
  // Reads the change sequence now (call after a write).
  void refresh();
  // Forgets every page (call when what pages are rendered from changed without a new change
  // sequence: the search index rebuilt).
  void invalidate();

 private:
  std::int64_t generation();
  void observe(std::int64_t sequence);

  store::UseCaseStore& store_;
  const std::function<void()> on_change_;
  const std::chrono::milliseconds poll_interval_;
  web::ResponseCache cache_;
  std::atomic<std::int64_t> sequence_{0};    // the store's last change seen
  std::atomic<std::int64_t> generation_{0};  // what cached pages are keyed on: moves with each new sequence and invalidate()
  std::atomic<std::int64_t> checked_at_ns_{0};  // steady clock of the last read of the sequence
};

}  // namespace vigie::app
