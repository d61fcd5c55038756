#include "daemon/server/daemon_metrics.h"

namespace gitopsd::server {

DaemonMetrics::DaemonMetrics(Registry& r)
    : app_info(r.Gauge("gitopsd_app_info",
                       "One series per app with its current sync and health status (value 1).",
                       {"app", "cluster", "namespace", "repo", "sync_status", "health_status",
                        "auto_sync"})),
      sync_total(r.Counter("gitopsd_sync_total", "Sync operations by final phase and initiator.",
                           {"app", "phase", "initiator"})),
      rollback_total(r.Counter("gitopsd_rollback_total", "Automatic and manual rollbacks.",
                               {"app", "reason"})),
      reconcile_duration(r.Histogram("gitopsd_reconcile_duration_seconds",
                                     "Time to refresh one app: fetch, render, diff, health.",
                                     {"app"}, DurationBuckets())),
      render_duration(r.Histogram("gitopsd_render_duration_seconds",
                                  "Time to render one app's Kustomize overlay.", {"app"},
                                  DurationBuckets())),
      git_request_duration(r.Histogram("gitopsd_git_request_duration_seconds",
                                       "Time of git operations against a repository.",
                                       {"repo", "op"}, DurationBuckets())),
      git_fetch_failures(r.Counter("gitopsd_git_fetch_failures_total",
                                   "Failed fetches of a repository.", {"repo"})),
      kube_requests(r.Counter("gitopsd_kube_requests_total",
                              "Requests to Kubernetes API servers by verb and status code.",
                              {"cluster", "verb", "code"})),
      webhook_requests(r.Counter("gitopsd_webhook_requests_total",
                                 "Webhook requests by provider and result.",
                                 {"provider", "result"})) {}

}  // namespace gitopsd::server
