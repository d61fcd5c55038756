// The admin endpoint for reliability tests, outside /api and /apis and
// behind the same bearer token:
//   GET  /kubesim/faults            current fault settings
//   POST /kubesim/faults            {"failNext": N, "code": 500|429|503,
//                                    "retryAfterSeconds": S, "latencyMs": M,
//                                    "dropWatches": true, "refuseSeconds": S}
//   POST /kubesim/faults/reset      clears every fault
//   GET  /kubesim/stats             objects, watchers, resourceVersion
#include "core/net/http_server.h"
#include "kubesim/controllers.h"
#include "kubesim/state.h"

namespace gitopsd::kubesim {
namespace {

Object FaultsJson(Faults& f) {
  std::lock_guard lock(f.mu);
  return Object{{"failNext", f.fail_remaining}, {"code", f.fail_code}, {"retryAfterSeconds", f.retry_after_seconds},
                {"latencyMs", f.latency_ms}};
}

}  // namespace

net::HttpResponse HandleAdmin(ServerState& state, const net::HttpRequest& req) {
  if (req.path == "/kubesim/stats" && req.method == "GET") {
    auto lock = state.cluster.Lock();
    return JsonResponse(200, Object{{"objects", state.cluster.ObjectCount()},
                                    {"watchers", state.cluster.WatcherCount()},
                                    {"resourceVersion", std::to_string(state.cluster.rv())}});
  }
  if (req.path == "/kubesim/faults" && req.method == "GET") return JsonResponse(200, FaultsJson(state.faults));
  if (req.path == "/kubesim/faults/reset" && req.method == "POST") {
    {
      std::lock_guard lock(state.faults.mu);
      state.faults.fail_remaining = 0;
      state.faults.latency_ms = 0;
    }
    if (state.http != nullptr) state.http->SetRefuseConnections(false);
    return JsonResponse(200, FaultsJson(state.faults));
  }
  if (req.path == "/kubesim/faults" && req.method == "POST") {
    Object body;
    try {
      body = Object::parse(req.body.empty() ? "{}" : req.body);
    } catch (const std::exception& e) {
      return BadRequest(std::string("invalid fault request: ") + e.what()).ToResponse();
    }
    if (!body.is_object()) return BadRequest("invalid fault request: want a JSON object").ToResponse();
    int code = body.value("code", 500);
    if (code != 500 && code != 429 && code != 503) return BadRequest("code must be 500, 429 or 503").ToResponse();
    {
      std::lock_guard lock(state.faults.mu);
      if (body.contains("failNext")) {
        state.faults.fail_remaining = body.value("failNext", 0);
        state.faults.fail_code = code;
      }
      if (body.contains("retryAfterSeconds")) state.faults.retry_after_seconds = body.value("retryAfterSeconds", 1);
      if (body.contains("latencyMs")) state.faults.latency_ms = body.value("latencyMs", 0);
    }
    if (body.value("dropWatches", false)) {
      {
        auto lock = state.cluster.Lock();
        state.cluster.DropAllWatchers();
      }
      if (state.http != nullptr) state.http->DropStreams();
    }
    int refuse = body.value("refuseSeconds", 0);
    if (refuse > 0 && state.http != nullptr && state.controllers != nullptr) {
      state.http->SetRefuseConnections(true);
      net::HttpServer* http = state.http;
      state.controllers->Schedule(refuse * 1000, [http] { http->SetRefuseConnections(false); });
    }
    return JsonResponse(200, FaultsJson(state.faults));
  }
  return NotFoundPath().ToResponse();
}

}  // namespace gitopsd::kubesim
