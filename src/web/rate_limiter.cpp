#include "web/rate_limiter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>  // Boost 1.74's string_view needs it declared first

#include <boost/asio/ip/address.hpp>

namespace vigie::web {

namespace {

double rate_per_second(const RateLimit& limit) {
  return static_cast<double>(limit.requests) / static_cast<double>(std::max<std::int64_t>(limit.window.count(), 1));
}

// "1 minute", "12 minutes", "45 secondes": how long to wait, rounded up, for people.
std::string french_delay(std::chrono::seconds delay) {
  if (delay.count() < 60) return delay.count() <= 1 ? std::string("1\u00A0seconde") : fmt::format("{}\u00A0secondes", delay.count());
  const auto minutes = (delay.count() + 59) / 60;
  return minutes == 1 ? std::string("1\u00A0minute") : fmt::format("{}\u00A0minutes", minutes);
}

}  // namespace

void RateLimiter::refill(Bucket& bucket, const RateLimit& limit, std::chrono::system_clock::time_point now) {
  const double capacity = limit.requests;
  if (bucket.tokens < 0) {
    bucket = {capacity, now};
    return;
  }
  // A clock set back gives nothing and takes nothing.
  if (now > bucket.updated) {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(capacity, bucket.tokens + elapsed * rate_per_second(limit));
    bucket.updated = now;
  }
}

std::chrono::seconds RateLimiter::wait_for_token(const Bucket& bucket, const RateLimit& limit) {
  const double missing = 1.0 - bucket.tokens;
  const auto seconds = static_cast<std::int64_t>(std::ceil(missing / rate_per_second(limit)));
  return std::chrono::seconds(std::max<std::int64_t>(seconds, 1));
}

RateLimiter::Bucket& RateLimiter::address_bucket(std::string_view client, std::chrono::system_clock::time_point now) {
  if (const auto found = buckets_.find(client); found != buckets_.end()) {
    recent_.splice(recent_.begin(), recent_, found->second);  // most recent first; iterators stay valid
    return found->second->second;
  }
  if (options_.max_addresses > 0 && recent_.size() >= options_.max_addresses) {
    buckets_.erase(recent_.back().first);
    recent_.pop_back();
  }
  recent_.emplace_front(std::string(client), Bucket{static_cast<double>(options_.per_address.requests), now});
  buckets_.emplace(recent_.front().first, recent_.begin());
  return recent_.front().second;
}

RateLimiter::Decision RateLimiter::decide(Bucket* address, Bucket& global, std::chrono::system_clock::time_point now) const {
  if (address) refill(*address, options_.per_address, now);
  if (options_.global.requests > 0) refill(global, options_.global, now);
  if (address && address->tokens < 1.0) {
    return {Verdict::address_limited, wait_for_token(*address, options_.per_address)};
  }
  if (options_.global.requests > 0 && global.tokens < 1.0) {
    return {Verdict::globally_limited, wait_for_token(global, options_.global)};
  }
  if (address) address->tokens -= 1.0;
  if (options_.global.requests > 0) global.tokens -= 1.0;
  return {};
}

RateLimiter::Decision RateLimiter::acquire_shared(std::string_view client, std::chrono::system_clock::time_point now,
                                                  bool& answered) {
  std::vector<std::string> keys{"global"};
  const bool per_address = options_.per_address.requests > 0;
  if (per_address) keys.push_back("adresse:" + std::string(client));
  Decision decision;
  const auto forget_after = std::max(options_.per_address.window, options_.global.window);
  answered = shared_->update(
      keys,
      [&](const std::vector<std::optional<SharedBuckets::State>>& current) {
        Bucket global{-1, {}};
        Bucket address{-1, {}};
        if (!current.empty() && current[0]) global = {current[0]->tokens, current[0]->updated};
        if (per_address && current.size() > 1 && current[1]) address = {current[1]->tokens, current[1]->updated};
        decision = decide(per_address ? &address : nullptr, global, now);
        // A bucket keeps the latest time it was refilled to: another node's clock a little ahead
        // gives nothing twice.
        std::vector<SharedBuckets::State> next{{std::max(global.tokens, 0.0), std::max(global.updated, now)}};
        if (per_address) next.push_back({std::max(address.tokens, 0.0), std::max(address.updated, now)});
        return next;
      },
      forget_after);
  return decision;
}

RateLimiter::Decision RateLimiter::acquire(std::string_view client) {
  const auto now = clock_.now();
  if (shared_ != nullptr && (options_.per_address.requests > 0 || options_.global.requests > 0)) {
    bool answered = false;
    const Decision decision = acquire_shared(client, now, answered);
    if (answered) return decision;
  }
  std::lock_guard lock(mutex_);
  Bucket* address = options_.per_address.requests > 0 ? &address_bucket(client, now) : nullptr;
  return decide(address, global_, now);
}

std::size_t RateLimiter::tracked_addresses() const {
  std::lock_guard lock(mutex_);
  return recent_.size();
}

std::string client_key(std::string_view remote_address) {
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(std::string(remote_address), error);
  if (error) return std::string(remote_address);
  if (address.is_v4()) return address.to_string();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), static_cast<unsigned char>(0));
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

void set_retry_after(Response& response, std::chrono::seconds delay) {
  response.with_header("Retry-After", std::to_string(std::max<std::int64_t>(delay.count(), 1)));
}

HandlerDecorator rate_limited(RateLimiter& limiter, ErrorRenderer render_error) {
  return [&limiter, render_error = std::move(render_error)](Handler handler) -> Handler {
    return [&limiter, render_error, handler = std::move(handler)](const Request& request) {
      const auto decision = limiter.acquire(client_key(request.remote_address));
      if (decision.verdict == RateLimiter::Verdict::allowed) return handler(request);
      const std::string delay = french_delay(decision.retry_after);
      const std::string message =
          decision.verdict == RateLimiter::Verdict::address_limited
              ? fmt::format("Trop d’enregistrements sont venus de votre adresse en peu de temps\u00A0: réessayez dans {}. "
                            "Ce que vous avez saisi n’est pas perdu\u00A0: revenez à la page précédente de votre navigateur.",
                            delay)
              : fmt::format("Vigie reçoit trop d’enregistrements en ce moment\u00A0: réessayez dans {}. "
                            "Ce que vous avez saisi n’est pas perdu\u00A0: revenez à la page précédente de votre navigateur.",
                            delay);
      Response response = render_error(request, 429, message);
      set_retry_after(response, decision.retry_after);
      response.with_header("Cache-Control", "no-store");
      return response;
    };
  };
}

}  // namespace vigie::web
