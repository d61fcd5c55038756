// Internal: what every kubesim request handler shares (the cluster, options,
// fault-injection state) and the parsed form of one API request.
// Not part of kubesim's public API.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/net/http_server.h"
#include "kubesim/api_error.h"
#include "kubesim/cluster.h"
#include "kubesim/server.h"

namespace gitopsd::kubesim {

// Fault injection knobs (admin endpoint, see admin.cc). Thread-safe.
struct Faults {
  std::mutex mu;
  int fail_remaining = 0;
  int fail_code = 500;
  int retry_after_seconds = 1;
  int latency_ms = 0;
};

class Controllers;  // controllers.h

// Rendered OpenAPI v3 documents, rebuilt when the registry changes.
struct OpenApiCache {
  std::mutex mu;
  int64_t generation = 0;
  std::map<std::string, std::string> bodies;  // "apis/apps/v1" -> JSON
  std::string root;
};

struct ServerState {
  Options options;
  Cluster cluster;
  Faults faults;
  OpenApiCache openapi;
  std::string server_address;  // host:port clients use
  std::string ca_pem;          // CA of the serving certificate ("" = plain HTTP)
  net::HttpServer* http = nullptr;
  Controllers* controllers = nullptr;
  // Runs `fn` after `ms` milliseconds on the timer thread.
  std::function<void(int ms, std::function<void()> fn)> schedule;
  // Set by the Server: allocates Service cluster IPs / node ports (lock held).
  int next_cluster_ip = 10;
  int next_node_port = 30000;
};

// One API request after routing.
struct ApiRequest {
  net::HttpRequest http;
  std::map<std::string, std::string> params;
  const ResourceType* type = nullptr;
  std::string group, version, plural, ns, name, sub;
  bool namespaced_path = false;  // URL had /namespaces/{ns}/

  std::string Param(const std::string& k) const {
    auto it = params.find(k);
    return it == params.end() ? "" : it->second;
  }
  bool DryRun() const { return Param("dryRun") == "All"; }
  // fieldManager, else the User-Agent up to its first '/'.
  std::string Manager() const;
  bool WantsTable() const;
};

// Entry point for every HTTP request.
void HandleHttp(ServerState& state, net::HttpRequest request,
                std::shared_ptr<net::HttpResponder> responder);

// --- per-area handlers (lock taken inside) ---
net::HttpResponse HandleDiscovery(ServerState& state, const net::HttpRequest& req, bool* handled);
net::HttpResponse HandleOpenApi(ServerState& state, const net::HttpRequest& req, bool* handled);
net::HttpResponse HandleAdmin(ServerState& state, const net::HttpRequest& req);
net::HttpResponse HandleGet(ServerState& state, const ApiRequest& req);
net::HttpResponse HandleList(ServerState& state, const ApiRequest& req);
void HandleWatch(ServerState& state, const ApiRequest& req, std::shared_ptr<net::HttpResponder> out);
net::HttpResponse HandleCreate(ServerState& state, const ApiRequest& req);
net::HttpResponse HandleUpdate(ServerState& state, const ApiRequest& req);
net::HttpResponse HandlePatch(ServerState& state, const ApiRequest& req);
net::HttpResponse HandleDelete(ServerState& state, const ApiRequest& req);
net::HttpResponse HandleDeleteCollection(ServerState& state, const ApiRequest& req);

// The served type a request names, or nullptr with `error` set (lock held).
const ResourceType* ResolveType(ServerState& state, const ApiRequest& req, std::optional<ApiError>* error);

// The object as served for `version`: apiVersion/kind set.
Object Served(const ResourceType& type, const std::string& version, Object obj);

}  // namespace gitopsd::kubesim
