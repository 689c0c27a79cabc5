#include "app/page_cache.h"

#include "web/compression.h"

namespace vigie::app {

namespace {

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

PageCache::PageCache(store::UseCaseStore& store, std::function<void()> on_change, std::chrono::milliseconds poll_interval)
    : store_(store), on_change_(std::move(on_change)), poll_interval_(poll_interval) {
  // The starting sequence is taken as seen: bringing the index up to date at start-up is the
  // caller's (in the background, while the site serves).
  checked_at_ns_.store(steady_now_ns());
  if (auto last = store_.last_change(); last.ok()) sequence_.store(*last);
}

void PageCache::observe(std::int64_t sequence) {
  if (sequence_.exchange(sequence) == sequence) return;
  // The index catches up before any page is cached for the new sequence.
  if (on_change_) on_change_();
  generation_.fetch_add(1);
}

void PageCache::invalidate() { generation_.fetch_add(1); }

void PageCache::refresh() {
  checked_at_ns_.store(steady_now_ns());
  if (auto last = store_.last_change(); last.ok()) observe(*last);
}

std::int64_t PageCache::generation() {
  const auto now = steady_now_ns();
  if (now - checked_at_ns_.load(std::memory_order_relaxed) > std::chrono::nanoseconds(poll_interval_).count()) {
    // Several threads may refresh at once; each reads the same sequence, which is harmless.
    checked_at_ns_.store(now, std::memory_order_relaxed);
    if (auto last = store_.last_change(); last.ok()) observe(*last);
  }
  return generation_.load();
}

web::HandlerDecorator PageCache::decorator() {
  return [this](web::Handler handler) -> web::Handler {
    return [this, handler = std::move(handler)](const web::Request& request) {
      if (!request.header("authorization").empty()) return handler(request);
      const std::int64_t at = generation();
      if (auto cached = cache_.find(request.target, at)) {
        for (const auto& [name, value] : cached->headers) {
          if (name == "ETag" && request.header("if-none-match") == value) {
            web::Response not_modified = web::Response::text("", 304);
            not_modified.with_header("ETag", value);
            return not_modified;
          }
        }
        return *cached;
      }
      web::Response response = handler(request);
      if (response.status == 200) {
        web::precompress(response);  // once per cached page, not once per hit
        cache_.store(request.target, at, std::make_shared<const web::Response>(response));
      }
      return response;
    };
  };
}

}  // namespace vigie::app
