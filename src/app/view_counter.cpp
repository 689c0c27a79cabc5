#include "app/view_counter.h"

#include <spdlog/spdlog.h>

namespace vigie::app {

ViewCounter::~ViewCounter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  if (auto flushed = flush(); !flushed.ok()) spdlog::warn("consultations des fiches non enregistrées : {}", flushed.error().message);
}

void ViewCounter::record(domain::UseCaseId id) {
  // A bound on distinct fiches between two flushes: only existing fiches are counted (the
  // caller counts pages served), so this is never reached in practice.
  constexpr std::size_t kMaxPending = 100'000;
  std::lock_guard lock(mutex_);
  if (pending_.size() < kMaxPending || pending_.count(id)) ++pending_[id];
}

Status ViewCounter::flush() {
  std::lock_guard flush_lock(flush_mutex_);
  std::map<domain::UseCaseId, std::int64_t> counts;
  {
    std::lock_guard lock(mutex_);
    counts.swap(pending_);
  }
  if (counts.empty()) return {};
  Status added = store_.add_views(counts);
  if (!added.ok()) {
    std::lock_guard lock(mutex_);
    for (const auto& [id, count] : counts) pending_[id] += count;
  }
  return added;
}

void ViewCounter::start(std::chrono::milliseconds interval) {
  flusher_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, interval, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      if (auto flushed = flush(); !flushed.ok()) spdlog::warn("consultations des fiches : {}", flushed.error().message);
      lock.lock();
    }
  });
}

}  // namespace vigie::app
