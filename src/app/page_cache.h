// Caching of GET responses for anonymous readers, invalidated by the store's change sequence:
// writes made by this process are seen at once (refresh()), writes by another process (the
// command line) within `poll_interval`.
//
// A cached route declares the query parameters it reads (web::ReadParams): the key is the path
// and those parameters in a canonical order, so a parameter the page does not read (a tracking
// tag, random junk) is served from the cache. Concurrent misses of one key are rendered once,
// the other requests waiting for that render; misses of different keys render at most
// `max_concurrent_renders` at a time, the others waiting up to `render_wait` and then answered
// 503 with Retry-After.
//
// HTTP caching: a 200 answer gets, unless its handler set them, an ETag made of the change
// sequence, this process's start and a hash of the key (the server adds the gzip variant), and
// `Cache-Control: public, no-cache` (always revalidated: a write shows at once); the server then
// answers If-None-Match with 304 (web/conditional.h).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/result.h"
#include "web/response_cache.h"
#include "web/router.h"

namespace vigie::app {

struct PageCacheOptions {
  std::chrono::milliseconds poll_interval{250};
  unsigned max_concurrent_renders = 1;            // at least 1
  std::chrono::milliseconds render_wait{5000};    // a miss beyond the bound waits this long at most
  std::string cache_control = "public, no-cache";
  // When on_change runs for a new change sequence: before the first response rendered after
  // it (true: a write returns without waiting for the search index, and the index catches up
  // once for all the writes made meanwhile, before a page can show it), or at once, on the
  // thread that saw the sequence (false: for a server whose routes skip the cache).
  bool catch_up_before_render = true;
  // Renders the 503 of a miss that waited too long (an HTML page or a problem document).
  std::function<web::Response(const web::Request&, unsigned status, const std::string& message)> render_error;
};

class PageCache {
 public:
  // `last_change` reads the store's change sequence. `on_change` runs (on a request's thread)
  // after a new change sequence is seen, before anything is rendered or cached for it: the
  // search index catches up there (see PageCacheOptions::catch_up_before_render).
  PageCache(std::function<Result<std::int64_t>()> last_change, std::function<void()> on_change,
            PageCacheOptions options = {});

  // Caches 200 responses of requests without Authorization, keyed by path and the parameters
  // the route reads; handlers always see the canonical request.
  web::CacheDecorator decorator();
  // Reads the change sequence now (call after a write).
  void refresh();
  // Forgets every page (call when what pages are rendered from changed without a new change
  // sequence: the search index rebuilt).
  void invalidate();

  // Observability (tests, metrics): pages stored, hits served, renders done by this cache.
  std::size_t size() const { return cache_.size(); }
  std::uint64_t hits() const { return hits_.load(); }
  std::uint64_t renders() const { return renders_.load(); }
  // The same in the Prometheus text format: vigie_page_cache_entries, _hits_total, _renders_total.
  std::string render_prometheus() const;

 private:
  // One render of a key in progress; requests for the same key wait for it.
  struct Flight {
    std::mutex mutex;  // guards done and response
    std::condition_variable finished;
    bool done = false;
    std::shared_ptr<const web::Response> response;  // null when the render failed
  };

  web::Response serve(const web::ReadParams& params, const web::Handler& handler, const web::Request& request);
  web::Response render(const web::Handler& handler, const web::Request& request, const std::string& key,
                       std::int64_t generation);
  std::int64_t generation();
  void observe(std::int64_t sequence);
  // Runs on_change when the last sequence seen has not had it yet (catch_up_before_render).
  void catch_up();
  bool acquire_render_slot();
  void release_render_slot();

  const std::function<Result<std::int64_t>()> last_change_;
  const std::function<void()> on_change_;
  const PageCacheOptions options_;
  const std::string epoch_;  // distinguishes ETags across restarts (templates may have changed)
  web::ResponseCache cache_;
  std::atomic<std::int64_t> sequence_{0};    // the store's last change seen
  std::atomic<std::int64_t> caught_up_{0};   // the last sequence on_change ran for
  std::atomic<std::int64_t> generation_{0};  // what cached pages are keyed on: moves with each new sequence and invalidate()
  std::atomic<std::int64_t> invalidations_{0};
  std::atomic<std::int64_t> checked_at_ns_{0};  // steady clock of the last read of the sequence
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> renders_{0};

  std::mutex flights_mutex_;  // guards flights_
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;  // by key and generation

  std::mutex renders_mutex_;  // guards active_renders_
  std::condition_variable render_slot_freed_;
  unsigned active_renders_ = 0;
};

}  // namespace vigie::app
