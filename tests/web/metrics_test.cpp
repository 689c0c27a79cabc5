#include "web/metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace vigie::web {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(MetricsTest, EmptyMetricsStillDeclareTheirFamilies) {
  const Metrics metrics;
  EXPECT_EQ(metrics.render_prometheus(),
            "# HELP vigie_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE vigie_http_requests_total counter\n"
            "# HELP vigie_http_request_duration_seconds Time to answer an HTTP request, by route.\n"
            "# TYPE vigie_http_request_duration_seconds histogram\n"
            "# HELP vigie_failed_writes_in_a_row Writes answered with a 5xx status since the last one that was not.\n"
            "# TYPE vigie_failed_writes_in_a_row gauge\n"
            "vigie_failed_writes_in_a_row 0\n");
}

TEST(MetricsTest, RendersCountersAndCumulativeHistogram) {
  Metrics metrics;
  metrics.record("home", 200, microseconds(250));   // first bucket
  metrics.record("home", 200, milliseconds(3));     // le 0.005
  metrics.record("home", 304, milliseconds(5));     // on the bound: le 0.005
  metrics.record("home", 500, milliseconds(3000));  // past every bound: +Inf only
  EXPECT_EQ(metrics.render_prometheus(),
            "# HELP vigie_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE vigie_http_requests_total counter\n"
            "vigie_http_requests_total{route=\"home\",status=\"200\"} 2\n"
            "vigie_http_requests_total{route=\"home\",status=\"304\"} 1\n"
            "vigie_http_requests_total{route=\"home\",status=\"500\"} 1\n"
            "# HELP vigie_http_request_duration_seconds Time to answer an HTTP request, by route.\n"
            "# TYPE vigie_http_request_duration_seconds histogram\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"0.0005\"} 1\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"0.001\"} 1\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"0.0025\"} 1\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"0.005\"} 3\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"0.01\"} 3\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"0.025\"} 3\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"0.05\"} 3\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"0.1\"} 3\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"0.25\"} 3\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"0.5\"} 3\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"1\"} 3\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"2.5\"} 3\n"
            "vigie_http_request_duration_seconds_bucket{route=\"home\",le=\"+Inf\"} 4\n"
            "vigie_http_request_duration_seconds_sum{route=\"home\"} 3.00825\n"
            "vigie_http_request_duration_seconds_count{route=\"home\"} 4\n"
            "# HELP vigie_failed_writes_in_a_row Writes answered with a 5xx status since the last one that was not.\n"
            "# TYPE vigie_failed_writes_in_a_row gauge\n"
            "vigie_failed_writes_in_a_row 0\n");
}

TEST(MetricsTest, RoutesAreListedInNameOrder) {
  Metrics metrics;
  metrics.record("zeta", 200, microseconds(1));
  metrics.record("alpha", 404, microseconds(1));
  const std::string text = metrics.render_prometheus();
  EXPECT_LT(text.find("{route=\"alpha\",status=\"404\"}"), text.find("{route=\"zeta\",status=\"200\"}"));
  EXPECT_LT(text.find("_count{route=\"alpha\"}"), text.find("_count{route=\"zeta\"}"));
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics metrics;
  metrics.record("a\"b\\c\nd", 200, microseconds(1));
  EXPECT_NE(metrics.render_prometheus().find("vigie_http_requests_total{route=\"a\\\"b\\\\c\\nd\",status=\"200\"} 1\n"),
            std::string::npos);
}

}  // namespace
}  // namespace vigie::web

namespace vigie::web {
namespace {

TEST(MetricsWritesTest, FailedWritesInARowAreCountedLoggedSparinglyAndResetBySuccess) {
  Metrics metrics;
  EXPECT_FALSE(metrics.record_write(201).has_value());
  EXPECT_EQ(metrics.failed_writes_in_a_row(), 0U);
  const auto first = metrics.record_write(503);
  ASSERT_TRUE(first.has_value());  // the first failure is logged at once
  EXPECT_EQ(*first, 0U);
  EXPECT_FALSE(metrics.record_write(500).has_value());  // within the second: not logged, counted
  EXPECT_EQ(metrics.failed_writes_in_a_row(), 2U);
  EXPECT_NE(metrics.render_prometheus().find("vigie_failed_writes_in_a_row 2\n"), std::string::npos);
  EXPECT_FALSE(metrics.record_write(409).has_value());  // a conflict is the writer's, not a failure
  EXPECT_EQ(metrics.failed_writes_in_a_row(), 0U);
}

}  // namespace
}  // namespace vigie::web
