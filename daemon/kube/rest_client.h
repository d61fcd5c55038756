// The real kube::Client: Kubernetes REST over core/net's HttpClient.
//
// Every call is rate limited (token bucket, QPS + burst), carries a
// deadline, and authenticates with the RestConfig's credentials (static or
// file token, client certificate, or an exec plugin whose result is cached
// until it expires and refreshed once after a 401). Retries with exponential
// backoff (honouring Retry-After) happen on 429 for every call (the server
// refused before doing anything) and on 5xx / transport errors only for
// idempotent calls (GET, LIST, server-side apply, DELETE) - never for
// CREATE, which may have happened. Connections are kept alive and reused.
// Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "daemon/kube/client.h"
#include "daemon/kube/kubeconfig.h"
#include "daemon/kube/throttle.h"

namespace gitopsd::kube {

struct ClientOptions {
  double qps = 50;  // <= 0: unlimited
  int burst = 100;
  // Budget of one request (a LIST page, an apply, ...), retries excluded.
  std::chrono::milliseconds timeout{30'000};
  RetryPolicy retry;
  std::string user_agent = "gitopsd";
  // Called after every HTTP exchange (retries included) with the Kubernetes
  // verb (get, list, watch, apply, create, delete, discovery) and the HTTP
  // status, 0 when no response came (connection or timeout). For metrics.
  std::function<void(std::string_view verb, int status)> on_response;
};

Result<std::unique_ptr<Client>> NewRestClient(RestConfig config, ClientOptions options = {});

}  // namespace gitopsd::kube
