// Prometheus text exposition format 0.0.4:
// https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
#include "web/metrics.h"

#include <charconv>
#include <string_view>

namespace vigie::web {

namespace {

// A label value between double quotes: backslash, double quote and line feed are escaped.
void append_label_value(std::string& out, std::string_view value) {
  out += '"';
  for (const char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  out += '"';
}

// Shortest decimal that reads back as the same double, without an exponent ("0.0005", "1").
void append_number(std::string& out, double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  out.append(buffer, result.ptr);
}

void append_number(std::string& out, std::uint64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

}  // namespace

std::optional<std::size_t> Metrics::record_write(unsigned status) {
  if (status < 500) {
    failed_writes_in_a_row_.store(0);
    return std::nullopt;
  }
  failed_writes_in_a_row_.fetch_add(1);
  const std::lock_guard lock(write_log_mutex_);
  return write_log_.admit(LogThrottle::Clock::now());
}

void Metrics::record(const std::string& route_name, unsigned status, std::chrono::nanoseconds latency) {
  const double seconds = std::chrono::duration<double>(latency).count();
  // Each observation goes to the first bucket whose bound it does not exceed; rendering makes
  // the counts cumulative. Past the last bound it is only in +Inf, that is in `count`.
  std::size_t bucket = 0;
  while (bucket < kBucketsSeconds.size() && seconds > kBucketsSeconds[bucket]) ++bucket;

  const std::lock_guard lock(mutex_);
  ++counts_[{route_name, status}];
  Histogram& histogram = histograms_[route_name];
  if (bucket < kBucketsSeconds.size()) ++histogram.buckets[bucket];
  ++histogram.count;
  histogram.sum_seconds += seconds;
}

std::string Metrics::render_prometheus() const {
  std::string out;
  out.reserve(512);
  const std::lock_guard lock(mutex_);

  out += "# HELP vigie_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE vigie_http_requests_total counter\n";
  for (const auto& [key, count] : counts_) {
    out += "vigie_http_requests_total{route=";
    append_label_value(out, key.first);
    out += ",status=\"";
    append_number(out, std::uint64_t{key.second});
    out += "\"} ";
    append_number(out, count);
    out += '\n';
  }

  out += "# HELP vigie_http_request_duration_seconds Time to answer an HTTP request, by route.\n";
  out += "# TYPE vigie_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : histograms_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= kBucketsSeconds.size(); ++i) {
      out += "vigie_http_request_duration_seconds_bucket{route=";
      append_label_value(out, route);
      out += ",le=\"";
      if (i < kBucketsSeconds.size()) {
        cumulative += histogram.buckets[i];
        append_number(out, kBucketsSeconds[i]);
      } else {
        cumulative = histogram.count;
        out += "+Inf";
      }
      out += "\"} ";
      append_number(out, cumulative);
      out += '\n';
    }
    out += "vigie_http_request_duration_seconds_sum{route=";
    append_label_value(out, route);
    out += "} ";
    append_number(out, histogram.sum_seconds);
    out += '\n';
    out += "vigie_http_request_duration_seconds_count{route=";
    append_label_value(out, route);
    out += "} ";
    append_number(out, histogram.count);
    out += '\n';
  }
  out += "# HELP vigie_failed_writes_in_a_row Writes answered with a 5xx status since the last one that was not.\n";
  out += "# TYPE vigie_failed_writes_in_a_row gauge\nvigie_failed_writes_in_a_row ";
  append_number(out, failed_writes_in_a_row_.load());
  out += '\n';
  return out;
}

}  // namespace vigie::web
