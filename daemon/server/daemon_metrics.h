// The daemon's metric families, with the names the alert rules and the
// dashboard in deploy/monitoring use. Created once per process on a Registry;
// components get a reference and record into it. Thread-safe.
#pragma once

#include "daemon/server/metrics.h"

namespace gitopsd::server {

struct DaemonMetrics {
  explicit DaemonMetrics(Registry& r);

  GaugeFamily& app_info;                // {app,cluster,namespace,repo,sync_status,health_status,auto_sync}
  CounterFamily& sync_total;            // {app,phase,initiator}
  CounterFamily& rollback_total;        // {app,reason}
  HistogramFamily& reconcile_duration;  // {app}
  HistogramFamily& render_duration;     // {app}
  HistogramFamily& git_request_duration;  // {repo,op}
  CounterFamily& git_fetch_failures;    // {repo}
  CounterFamily& kube_requests;         // {cluster,verb,code}
  CounterFamily& webhook_requests;      // {provider,result}
};

}  // namespace gitopsd::server
