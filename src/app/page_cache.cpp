#include "app/page_cache.h"

#include <fmt/format.h>

#include <algorithm>

#include "web/compression.h"
#include "web/prepared_response.h"

namespace vigie::app {

namespace {

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Seconds a client is told to wait when the renders are saturated.
constexpr std::string_view kRetryAfterSeconds = "1";

}  // namespace

PageCache::PageCache(std::function<Result<std::int64_t>()> last_change, std::function<void()> on_change,
                     PageCacheOptions options)
    : last_change_(std::move(last_change)),
      on_change_(std::move(on_change)),
      options_(std::move(options)),
      epoch_(fmt::format("{:x}", std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count())) {
  // The starting sequence is taken as seen: bringing the index up to date at start-up is the
  // caller's (in the background, while the site serves).
  checked_at_ns_.store(steady_now_ns());
  if (auto last = last_change_(); last.ok()) {
    sequence_.store(*last);
    caught_up_.store(*last);
  }
}

void PageCache::observe(std::int64_t sequence) {
  if (sequence_.exchange(sequence) == sequence) return;
  // The index catches up before any page is rendered for the new sequence: here, or before the
  // next render (catch_up()).
  if (!options_.catch_up_before_render) catch_up();
  generation_.fetch_add(1);
}

void PageCache::catch_up() {
  const std::int64_t target = sequence_.load();
  if (caught_up_.load() >= target) return;
  // Several threads may get here for one sequence: on_change serialises them (the index's
  // follower), and the later ones find nothing left to apply.
  if (on_change_) on_change_();
  std::int64_t seen = caught_up_.load();
  while (seen < target && !caught_up_.compare_exchange_weak(seen, target)) {
  }
}

void PageCache::invalidate() {
  invalidations_.fetch_add(1);
  generation_.fetch_add(1);
}

void PageCache::refresh() {
  checked_at_ns_.store(steady_now_ns());
  if (auto last = last_change_(); last.ok()) observe(*last);
}

std::int64_t PageCache::generation() {
  const auto now = steady_now_ns();
  if (now - checked_at_ns_.load(std::memory_order_relaxed) > std::chrono::nanoseconds(options_.poll_interval).count()) {
    // Several threads may refresh at once; each reads the same sequence, which is harmless.
    checked_at_ns_.store(now, std::memory_order_relaxed);
    if (auto last = last_change_(); last.ok()) observe(*last);
  }
  return generation_.load();
}

bool PageCache::acquire_render_slot() {
  std::unique_lock lock(renders_mutex_);
  const unsigned bound = std::max(1u, options_.max_concurrent_renders);
  if (!render_slot_freed_.wait_for(lock, options_.render_wait, [&] { return active_renders_ < bound; })) return false;
  ++active_renders_;
  return true;
}

void PageCache::release_render_slot() {
  {
    const std::lock_guard lock(renders_mutex_);
    --active_renders_;
  }
  render_slot_freed_.notify_one();
}

web::Response PageCache::render(const web::Handler& handler, const web::Request& request, const std::string& key,
                                std::int64_t generation) {
  if (!acquire_render_slot()) {
    const std::string message = "Le site est très sollicité : réessayez dans un instant.";
    web::Response busy = options_.render_error ? options_.render_error(request, 503, message) : web::Response::text(message, 503);
    busy.status = 503;
    busy.with_header("Retry-After", std::string(kRetryAfterSeconds));
    return busy;
  }
  struct SlotGuard {
    PageCache& cache;
    ~SlotGuard() { cache.release_render_slot(); }
  } guard{*this};
  renders_.fetch_add(1, std::memory_order_relaxed);
  catch_up();
  web::Response response = handler(request);
  if (response.status == 200) {
    if (!response.has_header("etag")) {
      // The change sequence, the rebuilds of the index since start, the process, the page.
      response.with_header("ETag", fmt::format("\"{}-{}-{}-{:x}\"", sequence_.load(), invalidations_.load(), epoch_,
                                               std::hash<std::string>{}(key)));
    }
    if (!response.has_header("cache-control")) response.with_header("Cache-Control", options_.cache_control);
    web::precompress(response);  // once per cached page, not once per hit
    response.prepared = std::make_shared<web::PreparedSlot>();  // serialised once by the server
    cache_.store(key, generation, std::make_shared<const web::Response>(response));
  }
  return response;
}

web::Response PageCache::serve(const web::ReadParams& params, const web::Handler& handler, const web::Request& request) {
  const web::Request canonical = params.canonical(request);
  if (!request.header("authorization").empty()) {
    catch_up();
    return handler(canonical);
  }
  const std::int64_t at = generation();
  const std::string& key = canonical.target;
  if (auto cached = cache_.find(key, at)) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return *cached;
  }

  // One render per key and generation; the others wait for it.
  const std::string flight_key = key + '\n' + std::to_string(at);
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    const std::lock_guard lock(flights_mutex_);
    auto& slot = flights_[flight_key];
    if (!slot) {
      slot = std::make_shared<Flight>();
      leader = true;
    }
    flight = slot;
  }
  if (!leader) {
    std::unique_lock lock(flight->mutex);
    flight->finished.wait(lock, [&] { return flight->done; });
    if (flight->response) {
      hits_.fetch_add(1, std::memory_order_relaxed);
      return *flight->response;
    }
    lock.unlock();
    return render(handler, canonical, key, at);  // the leader failed: try on our own
  }

  // Whatever happens to the render (an exception included), the waiting requests are released.
  struct FlightGuard {
    PageCache& cache;
    const std::string& flight_key;
    std::shared_ptr<Flight>& flight;
    std::shared_ptr<const web::Response> response;
    ~FlightGuard() {
      {
        const std::lock_guard lock(cache.flights_mutex_);
        cache.flights_.erase(flight_key);
      }
      {
        const std::lock_guard lock(flight->mutex);
        flight->done = true;
        flight->response = std::move(response);
      }
      flight->finished.notify_all();
    }
  } guard{*this, flight_key, flight, nullptr};
  web::Response response = render(handler, canonical, key, at);
  if (response.status != 503) guard.response = std::make_shared<const web::Response>(response);
  return response;
}

std::string PageCache::render_prometheus() const {
  return fmt::format(
      "# HELP vigie_page_cache_entries Responses held by the page cache.\n# TYPE vigie_page_cache_entries gauge\n"
      "vigie_page_cache_entries {}\n"
      "# HELP vigie_page_cache_hits_total Requests answered from the page cache or a render in progress.\n"
      "# TYPE vigie_page_cache_hits_total counter\nvigie_page_cache_hits_total {}\n"
      "# HELP vigie_page_cache_renders_total Responses rendered by cached routes.\n"
      "# TYPE vigie_page_cache_renders_total counter\nvigie_page_cache_renders_total {}\n",
      size(), hits(), renders());
}

web::CacheDecorator PageCache::decorator() {
  return [this](const web::ReadParams& params, web::Handler handler) -> web::Handler {
    return [this, params, handler = std::move(handler)](const web::Request& request) { return serve(params, handler, request); };
  };
}

}  // namespace vigie::app
