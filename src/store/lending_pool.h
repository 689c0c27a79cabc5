// Connections lent to one thread at a time and kept idle between uses. Each backend's pool
// (sqlite/connection_pool.h, postgres/connection.h) is one, saying how to open a connection and
// whether a returned one may be lent again. Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"

namespace vigie::store {

// How a pool's connections are used now (/metrics).
struct PoolUse {
  std::size_t lent = 0;  // held by a request or a background task
  std::size_t idle = 0;  // open, waiting in the pool
};

template <typename Connection>
class LendingPool {
 public:
  virtual ~LendingPool() = default;

  // A connection returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(LendingPool& pool, std::unique_ptr<Connection> connection) : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() { if (connection_) pool_->release(std::move(connection_)); }
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    LendingPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Takes an idle connection or opens a new one.
  Result<Lease> acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        ++lent_;
        return Lease(*this, std::move(connection));
      }
    }
    TRY_ASSIGN(auto connection, open_connection());
    ++lent_;
    return Lease(*this, std::move(connection));
  }

  PoolUse use() const {
    std::lock_guard lock(mutex_);
    return {lent_.load(), idle_.size()};
  }

 protected:
  LendingPool() = default;
  virtual Result<std::unique_ptr<Connection>> open_connection() = 0;
  // Whether a connection coming back may be lent again (not when its server went away).
  virtual bool reusable(const Connection&) const { return true; }
  // Adds an open connection to the idle ones (the one a pool opened to check the database).
  void keep(std::unique_ptr<Connection> connection) {
    ++lent_;
    release(std::move(connection));
  }

 private:
  void release(std::unique_ptr<Connection> connection) {
    --lent_;
    if (!reusable(*connection)) return;
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }

  std::atomic<std::size_t> lent_{0};
  mutable std::mutex mutex_;  // guards idle_
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace vigie::store
