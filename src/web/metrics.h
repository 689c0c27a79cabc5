// Request counters and latency histogram, exposed in the Prometheus text format (version 0.0.4).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "web/log_throttle.h"

namespace vigie::web {

class Metrics {
 public:
  // Records one answered request. Thread-safe.
  void record(const std::string& route_name, unsigned status, std::chrono::nanoseconds latency);

  // Records the answer to a write (any method but GET, HEAD and OPTIONS): a 5xx answer is a
  // failed write (a full disk, a database that cannot write), any other ends a run of failures.
  // For a failure, returns whether to log it now (at most one line a second: the number of
  // failures not logged since the last line), nullopt otherwise. Thread-safe.
  std::optional<std::size_t> record_write(unsigned status);
  // Writes failed in a row, for /healthz.
  std::uint64_t failed_writes_in_a_row() const { return failed_writes_in_a_row_.load(); }

  // Prometheus exposition: vigie_http_requests_total{route,status}, the histogram
  // vigie_http_request_duration_seconds{route} (_bucket{le}, _sum, _count) and
  // vigie_failed_writes_in_a_row. Thread-safe.
  std::string render_prometheus() const;

 private:
  static constexpr std::array<double, 12> kBucketsSeconds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                             0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  struct Histogram {
    std::array<std::uint64_t, kBucketsSeconds.size()> buckets{};
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };
  mutable std::mutex mutex_;  // guards counts_ and histograms_
  std::map<std::pair<std::string, unsigned>, std::uint64_t> counts_;
  std::map<std::string, Histogram> histograms_;
  std::atomic<std::uint64_t> failed_writes_in_a_row_{0};
  std::mutex write_log_mutex_;  // guards write_log_
  LogThrottle write_log_;
};

}  // namespace vigie::web
