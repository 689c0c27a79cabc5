// Request counters and latency histogram, exposed in the Prometheus text format (version 0.0.4).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace vigie::web {

class Metrics {
 public:
  // Records one answered request. Thread-safe.
  void record(const std::string& route_name, unsigned status, std::chrono::nanoseconds latency);

  // Prometheus exposition: vigie_http_requests_total{route,status}, and the histogram
  // vigie_http_request_duration_seconds{route} (_bucket{le}, _sum, _count). Thread-safe.
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
};

}  // namespace vigie::web
