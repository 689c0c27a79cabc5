#include "web/response_cache.h"

#include <mutex>

namespace vigie::web {

namespace {

std::size_t weight(const std::string& key, const Response& response) {
  const std::size_t content = response.body.size() + (response.gzipped ? response.gzipped->size() : 0);
  // A response with a prepared slot will also be held serialised, once per coding, by the server.
  return key.size() + (response.prepared ? 2 * content : content);
}

}  // namespace

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
    bytes_ = 0;
    generation_ = generation;
  }
  return nullptr;
}

void ResponseCache::store(const std::string& key, std::int64_t generation, std::shared_ptr<const Response> response) {
  std::unique_lock lock(mutex_);
  if (generation != generation_ || !response) return;
  const std::size_t added = weight(key, *response);
  if (added > max_bytes_) return;  // a response larger than the whole cache is not kept
  if (entries_.size() >= max_entries_ || bytes_ + added > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  auto& slot = entries_[key];
  if (slot) bytes_ -= weight(key, *slot);
  slot = std::move(response);
  bytes_ += added;
}

std::size_t ResponseCache::bytes() const {
  std::shared_lock lock(mutex_);
  return bytes_;
}

std::size_t ResponseCache::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

}  // namespace vigie::web
