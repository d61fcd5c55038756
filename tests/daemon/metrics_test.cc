#include "daemon/server/metrics.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace gitopsd::server {
namespace {

TEST(MetricsTest, ExposesCountersGaugesAndHistogramsInTextFormat) {
  Registry r;
  auto& syncs = r.Counter("gitopsd_sync_total", "Sync operations by result.", {"app", "phase"});
  auto& info = r.Gauge("gitopsd_app_info", "One series per app.", {"app", "health_status"});
  auto& dur = r.Histogram("gitopsd_reconcile_duration_seconds", "Reconcile duration.", {},
                          {0.1, 1});
  syncs.Inc({"shop-dev", "Succeeded"});
  syncs.Inc({"shop-dev", "Succeeded"});
  syncs.Inc({"we\"ird\\app\n", "Failed"});
  info.Set({"shop-dev", "Healthy"}, 1);
  dur.Observe({}, 0.05);
  dur.Observe({}, 0.5);
  dur.Observe({}, 7);
  EXPECT_EQ(syncs.Value({"shop-dev", "Succeeded"}), 2);
  std::string text = r.Expose();
  EXPECT_NE(text.find("# TYPE gitopsd_sync_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("gitopsd_sync_total{app=\"shop-dev\",phase=\"Succeeded\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("app=\"we\\\"ird\\\\app\\n\""), std::string::npos);
  EXPECT_NE(text.find("gitopsd_reconcile_duration_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("gitopsd_reconcile_duration_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("gitopsd_reconcile_duration_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("gitopsd_reconcile_duration_seconds_count 3\n"), std::string::npos);
}

TEST(MetricsTest, ReplaceAllDropsStaleSeries) {
  Registry r;
  auto& g = r.Gauge("g", "help", {"app"});
  g.Set({"a"}, 1);
  g.ReplaceAll({{{"b"}, 1}});
  EXPECT_EQ(g.Value({"a"}), 0);
  EXPECT_EQ(r.Expose().find("app=\"a\""), std::string::npos);
}

// The real Prometheus parser accepts the exposition (promtool ships with the
// Debian package `prometheus`, which `make test` installs).
TEST(MetricsTest, PromtoolAcceptsTheExposition) {
  if (system("command -v promtool >/dev/null 2>&1") != 0) GTEST_SKIP() << "promtool missing";
  Registry r;
  r.Counter("gitopsd_webhook_requests_total", "Webhook requests.", {"provider", "result"})
      .Inc({"github", "ok"});
  r.Histogram("gitopsd_render_duration_seconds", "Render duration.", {"app"}, DurationBuckets())
      .Observe({"x"}, 0.2);
  r.Gauge("gitopsd_up", "Always 1.").Set({}, 1);
  std::string path = testing::TempDir() + "/metrics.txt";
  std::ofstream(path) << r.Expose();
  std::string cmd = "promtool check metrics < " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[256];
  while (fgets(buf, sizeof buf, p)) out += buf;
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << out;
}

}  // namespace
}  // namespace gitopsd::server
