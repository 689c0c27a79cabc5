#include "web/response_cache.h"

#include <mutex>

namespace vigie::web {

std::shared_ptr<const Response> ResponseCache::find(const std::string& key, std::int64_t generation) {
  {
    std::shared_lock lock(mutex_);
    if (generation == generation_) {
      auto found = entries_.find(key);
      return found == entries_.end() ? nullptr : found->second;
    }
    if (generation < generation_) return nullptr;
  }
  std::unique_lock lock(mutex_);
  if (generation > generation_) {
    entries_.clear();
    generation_ = generation;
  }
  return nullptr;
}

void ResponseCache::store(const std::string& key, std::int64_t generation, std::shared_ptr<const Response> response) {
  std::unique_lock lock(mutex_);
  if (generation != generation_) return;
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_[key] = std::move(response);
}

std::size_t ResponseCache::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

}  // namespace vigie::web
