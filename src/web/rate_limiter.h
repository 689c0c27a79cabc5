// Rate limits on anonymous writes (saved assessments today; reports and questions later): a
// token bucket per client address and one for the whole site. A bucket holds at most
// `requests` tokens and regains them at `requests` per `window`, so a client may send a burst
// of `requests` writes, then one every window/requests.
//
// The buckets live in this process's memory, or, for several nodes serving one site, in a store
// they share (SharedBuckets): a client then has one allowance whichever node it reaches.
//
// Thread-safety: every member function may be called from any thread (one mutex).
// Memory: at most `max_addresses` buckets; the least recently seen address is forgotten first
// (a bucket unused for a whole window is full again, so forgetting it changes nothing).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <vector>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "web/router.h"
#include "web/server.h"

namespace vigie::web {

struct RateLimit {
  std::uint32_t requests = 0;  // 0: no limit
  std::chrono::seconds window{600};
};

struct RateLimiterOptions {
  RateLimit per_address;
  RateLimit global;
  std::size_t max_addresses = 10000;
};

// Buckets kept where every node sees them (the database: app/ binds it to store::Instance).
class SharedBuckets {
 public:
  struct State {
    double tokens = 0;
    std::chrono::system_clock::time_point updated;
  };
  using Update = std::function<std::vector<State>(const std::vector<std::optional<State>>&)>;
  virtual ~SharedBuckets() = default;
  // Calls `update` with the buckets `keys` (std::nullopt: never used) and keeps what it returns,
  // as one step no other node interleaves with. False when the store cannot.
  virtual bool update(const std::vector<std::string>& keys, const Update& update, std::chrono::seconds forget_after) = 0;
};

class RateLimiter {
 public:
  // `clock` (and `shared`, when given) must outlive the limiter. With `shared`, the buckets are
  // those every node sees; when it cannot answer, this process's own are used meanwhile.
  RateLimiter(RateLimiterOptions options, const Clock& clock, SharedBuckets* shared = nullptr)
      : options_(options), clock_(clock), shared_(shared) {}

  enum class Verdict { allowed, address_limited, globally_limited };
  struct Decision {
    Verdict verdict = Verdict::allowed;
    std::chrono::seconds retry_after{0};  // when refused: wait at least this long (≥ 1 s)
  };

  // Takes one token from `client`'s bucket and one from the global bucket, or none at all when
  // either is empty (a refused request costs nothing, so a limited client is not kept out
  // longer by retrying).
  Decision acquire(std::string_view client);

  // How many addresses are remembered (for tests and metrics).
  std::size_t tracked_addresses() const;

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::system_clock::time_point updated;
  };
  // Refills `bucket` to `now` under `limit`.
  static void refill(Bucket& bucket, const RateLimit& limit, std::chrono::system_clock::time_point now);
  static std::chrono::seconds wait_for_token(const Bucket& bucket, const RateLimit& limit);
  Bucket& address_bucket(std::string_view client, std::chrono::system_clock::time_point now);
  // The decision on `address` (nullptr: no per-address limit) and the global bucket, both
  // refilled to `now`; takes the tokens when allowed.
  Decision decide(Bucket* address, Bucket& global, std::chrono::system_clock::time_point now) const;
  Decision acquire_shared(std::string_view client, std::chrono::system_clock::time_point now, bool& answered);

  const RateLimiterOptions options_;
  const Clock& clock_;
  SharedBuckets* const shared_;
  mutable std::mutex mutex_;  // guards global_, recent_, buckets_
  Bucket global_{-1, {}};     // tokens < 0: not yet initialised
  // Addresses, most recently seen first; buckets_ points into it.
  std::list<std::pair<std::string, Bucket>> recent_;
  std::unordered_map<std::string_view, std::list<std::pair<std::string, Bucket>>::iterator> buckets_;
};

// The key of a client address for the limits: an IPv4 address as is, an IPv6 address reduced to
// its /64 network (one subscriber usually holds a whole /64), an IPv4-mapped IPv6 address as
// the IPv4 address. Anything unparsable is its own key.
std::string client_key(std::string_view remote_address);

// Wraps the handler of an anonymous write: when `limiter` refuses, answers 429 through
// `render_error` (an HTML page, or a problem document under /api/) with a French message and a
// Retry-After header, without calling the handler. `limiter` must outlive the handler.
HandlerDecorator rate_limited(RateLimiter& limiter, ErrorRenderer render_error);

// "Retry-After" in whole seconds (RFC 9110 §10.2.3), added to `response`.
void set_retry_after(Response& response, std::chrono::seconds delay);

}  // namespace vigie::web
