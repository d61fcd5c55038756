// ApiServer: gitopsd's HTTP surface on one listener — the JSON API
// (/api/v1/...), login/session for the console, server-sent events, the
// webhook receiver (/api/webhook), /healthz, /readyz and /metrics. Static
// console assets are served by an optional handler the daemon plugs in.
//
// It holds no app state: reads go to AppService, commands are queued through
// it. Every response carries the security headers (CSP without inline
// script, nosniff, frame-ancestors none). Thread-safe: Handle() is called on
// HTTP I/O threads and never blocks.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/net/http_server.h"
#include "daemon/server/app_service.h"
#include "daemon/server/auth.h"
#include "daemon/server/daemon_metrics.h"

namespace gitopsd::server {

struct ApiOptions {
  bool tls = false;                  // cookies get `Secure` when served over TLS
  bool allow_unsigned_webhooks = false;
  size_t max_webhook_bytes = 5u << 20;
  int sse_heartbeat_seconds = 15;
  size_t webhook_dedupe_window = 10000;  // delivery ids remembered
};

// Serves a static asset for the request and returns true, or returns false.
using StaticHandler = std::function<bool(const net::HttpRequest&, net::HttpResponse*)>;

class ApiServer {
 public:
  ApiServer(AppService& apps, Authenticator& auth, Registry& registry, DaemonMetrics& metrics,
            ApiOptions options, StaticHandler static_handler = nullptr);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  void Handle(net::HttpRequest request, std::shared_ptr<net::HttpResponder> responder);

  // Closes every event stream (shutdown).
  void CloseStreams();

 private:
  struct Route;
  net::HttpResponse Dispatch(const net::HttpRequest& req, const Principal& who);
  net::HttpResponse HandleWebhook(const net::HttpRequest& req);
  net::HttpResponse HandleLogin(const net::HttpRequest& req);
  void StartEvents(std::shared_ptr<net::HttpResponder> responder, std::string session_id);
  // Ends the event streams a login session opened (at logout).
  void CloseSessionStreams(const std::string& session_id);
  void Broadcast(const std::string& frame);
  void HeartbeatLoop();
  bool SeenDelivery(const std::string& key);

  AppService& apps_;
  Authenticator& auth_;
  Registry& registry_;
  DaemonMetrics& metrics_;
  ApiOptions options_;
  StaticHandler static_handler_;

  // The server owns each event stream's responder (nobody else keeps it once
  // Handle returns); a stream is dropped when its client has gone.
  struct EventStream {
    std::shared_ptr<net::HttpResponder> responder;
    std::string session_id;  // the login session that opened it; empty for tokens/anonymous
  };
  std::mutex streams_mu_;
  std::vector<EventStream> streams_;
  std::shared_ptr<void> subscription_;

  std::mutex dedupe_mu_;
  std::deque<std::string> delivery_order_;
  std::set<std::string> deliveries_;

  std::mutex hb_mu_;
  std::condition_variable hb_cv_;
  bool stopping_ = false;
  std::thread heartbeat_;
};

// Adds the headers every gitopsd response carries.
void AddSecurityHeaders(net::HttpResponse& r);

}  // namespace gitopsd::server
