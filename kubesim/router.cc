// Request entry point: health and version endpoints, authentication, fault
// injection, then routing of discovery, OpenAPI, admin and resource URLs
// (kube-api-contract §6) to the per-verb handlers.
#include <vector>

#include "core/log.h"
#include "kubesim/state.h"
#include "kubesim/util.h"

namespace gitopsd::kubesim {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    if (slash > pos) out.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

net::HttpResponse Text(int code, std::string body) {
  net::HttpResponse r;
  r.status = code;
  r.SetHeader("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

net::HttpResponse Version() {
  return JsonResponse(200, Object{{"major", "1"},
                                  {"minor", "32"},
                                  {"gitVersion", "v1.32.4+kubesim"},
                                  {"gitCommit", "4cb5f07ae4e2d4c9e6a1a3d7e0d43a5b3f2a1c90"},
                                  {"gitTreeState", "clean"},
                                  {"buildDate", "2025-04-22T16:00:00Z"},
                                  {"goVersion", "go1.23.8"},
                                  {"compiler", "gc"},
                                  {"platform", "linux/amd64"}});
}

bool Authorized(const ServerState& state, const net::HttpRequest& req) {
  if (state.options.token.empty()) return true;
  std::string auth = req.Header("authorization");
  const std::string prefix = "Bearer ";
  if (auth.size() <= prefix.size() || auth.compare(0, prefix.size(), prefix) != 0) return false;
  std::string given = auth.substr(prefix.size());
  // constant-time compare
  if (given.size() != state.options.token.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ state.options.token[i]);
  return diff == 0;
}

// Parses /api/v1/... and /apis/g/v/... below the group-version.
bool ParseResourcePath(const std::vector<std::string>& seg, ApiRequest& out) {
  size_t start;
  if (seg[0] == "api" && seg.size() >= 3) {
    out.group = "";
    out.version = seg[1];
    start = 2;
  } else if (seg[0] == "apis" && seg.size() >= 4) {
    out.group = seg[1];
    out.version = seg[2];
    start = 3;
  } else {
    return false;
  }
  std::vector<std::string> rest(seg.begin() + static_cast<long>(start), seg.end());
  if (rest[0] == "namespaces" && rest.size() > 2 && rest[2] != "status" && rest[2] != "finalize") {
    out.ns = rest[1];
    out.namespaced_path = true;
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.empty() || rest.size() > 3) return false;
  out.plural = rest[0];
  if (rest.size() > 1) out.name = rest[1];
  if (rest.size() > 2) out.sub = rest[2];
  return true;
}

net::HttpResponse RouteResource(ServerState& state, ApiRequest& req,
                                const std::shared_ptr<net::HttpResponder>& out, bool* streamed) {
  const std::string& m = req.http.method;
  if (req.name.empty()) {
    if (m == "GET") {
      std::string w = req.Param("watch");
      if (w == "true" || w == "1") {
        *streamed = true;
        HandleWatch(state, req, out);
        return {};
      }
      return HandleList(state, req);
    }
    if (m == "POST") return HandleCreate(state, req);
    if (m == "DELETE") return HandleDeleteCollection(state, req);
    return MethodNotAllowed().ToResponse();
  }
  if (m == "GET") return HandleGet(state, req);
  if (m == "PUT") return HandleUpdate(state, req);
  if (m == "PATCH") return HandlePatch(state, req);
  if (m == "DELETE" && req.sub.empty()) return HandleDelete(state, req);
  return MethodNotAllowed().ToResponse();
}

void Dispatch(ServerState& state, net::HttpRequest http, std::shared_ptr<net::HttpResponder> out) {
  std::vector<std::string> seg = Split(http.path);
  net::HttpResponse resp;
  bool done = false;
  if (!seg.empty() && (seg[0] == "api" || seg[0] == "apis") && seg.size() <= (seg[0] == "api" ? 2u : 3u)) {
    resp = HandleDiscovery(state, http, &done);
  } else if (!seg.empty() && seg[0] == "openapi") {
    resp = HandleOpenApi(state, http, &done);
  } else if (!seg.empty() && (seg[0] == "api" || seg[0] == "apis")) {
    ApiRequest req;
    if (ParseResourcePath(seg, req)) {
      req.params = http.QueryParams();
      req.http = std::move(http);
      bool streamed = false;
      resp = RouteResource(state, req, out, &streamed);
      if (streamed) return;
      done = true;
    }
  }
  if (!done) resp = NotFoundPath().ToResponse();
  resp.SetHeader("Audit-Id", NewUid());
  out->Send(std::move(resp));
}

}  // namespace

std::string ApiRequest::Manager() const {
  std::string m = Param("fieldManager");
  if (!m.empty()) return m;
  std::string ua = http.Header("user-agent");
  size_t slash = ua.find('/');
  m = ua.substr(0, slash);
  return m.empty() ? "unknown" : m;
}

bool ApiRequest::WantsTable() const {
  return http.Header("accept").find("as=Table") != std::string::npos;
}

void HandleHttp(ServerState& state, net::HttpRequest http, std::shared_ptr<net::HttpResponder> out) {
  const std::string& p = http.path;
  if (p == "/healthz" || p == "/readyz" || p == "/livez") {
    out->Send(Text(200, "ok"));
    return;
  }
  if (p == "/version" || p == "/version/") {
    out->Send(Version());
    return;
  }
  if (!Authorized(state, http)) {
    out->Send(Unauthorized().ToResponse());
    return;
  }
  if (p.rfind("/kubesim/", 0) == 0) {
    out->Send(HandleAdmin(state, http));
    return;
  }
  int latency = 0;
  {
    std::lock_guard lock(state.faults.mu);
    if (state.faults.fail_remaining > 0) {
      --state.faults.fail_remaining;
      int code = state.faults.fail_code;
      ApiError e = code == 429   ? TooManyRequests("injected fault: too many requests")
                   : code == 503 ? ServiceUnavailable("injected fault: service unavailable")
                                 : InternalError("injected fault: internal error");
      e.code = code;
      net::HttpResponse r = e.ToResponse();
      if (code == 429 || code == 503) r.SetHeader("Retry-After", std::to_string(state.faults.retry_after_seconds));
      out->Send(std::move(r));
      return;
    }
    latency = state.faults.latency_ms;
  }
  if (latency > 0 && state.schedule) {
    auto shared = std::make_shared<net::HttpRequest>(std::move(http));
    state.schedule(latency, [&state, shared, out] { Dispatch(state, std::move(*shared), out); });
    return;
  }
  Dispatch(state, std::move(http), std::move(out));
}

}  // namespace gitopsd::kubesim
