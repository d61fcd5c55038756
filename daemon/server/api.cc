#include "daemon/server/api.h"

#include <chrono>
#include <vector>

#include "core/log.h"

namespace gitopsd::server {
namespace {

using net::HttpRequest;
using net::HttpResponse;

int HttpStatusFor(Code c) {
  switch (c) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kFailedPrecondition: return 409;
    case Code::kPermissionDenied: return 403;
    case Code::kUnauthenticated: return 401;
    case Code::kResourceExhausted: return 429;
    case Code::kUnavailable: return 503;
    case Code::kDeadlineExceeded: return 504;
    case Code::kCancelled: return 499;
    case Code::kUnimplemented: return 501;
    case Code::kInternal: return 500;
  }
  return 500;
}

HttpResponse Json(int status, const Object& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, Object::error_handler_t::replace);
  r.SetHeader("Content-Type", "application/json");
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

HttpResponse Error(const Status& s) {
  return Json(HttpStatusFor(s.code()),
              Object{{"error", s.message()}, {"code", std::string(CodeName(s.code()))}});
}

HttpResponse Error(int status, const std::string& message) {
  return Json(status, Object{{"error", message}});
}

Object PrincipalJson(const Principal& p) {
  Object o{{"user", p.user.empty() ? Object(nullptr) : Object(p.user)},
           {"role", std::string(RoleName(p.role))},
           {"anonymous", p.user.empty()}};
  if (p.via_cookie) o["csrfToken"] = p.csrf_token;
  return o;
}

// "/api/v1/apps/shop-dev/history" -> {"shop-dev", "history"}
bool SplitAppPath(const std::string& path, std::string* name, std::string* rest) {
  constexpr std::string_view kPrefix = "/api/v1/apps/";
  if (path.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  std::string tail = path.substr(kPrefix.size());
  size_t slash = tail.find('/');
  *name = tail.substr(0, slash);
  *rest = slash == std::string::npos ? "" : tail.substr(slash + 1);
  return !name->empty();
}

Result<Object> BodyJson(const HttpRequest& req) {
  if (req.body.empty()) return Object::object();
  Object o = Object::parse(req.body, nullptr, false);
  if (o.is_discarded() || !o.is_object()) return InvalidArgument("request body is not a JSON object");
  return o;
}

HttpResponse Accepted(const Result<std::string>& id) {
  if (!id.ok()) return Error(id.status());
  return Json(202, Object{{"id", *id}});
}

Object Items(ObjectList list) {
  Object items = Object::array();
  for (auto& o : list) items.push_back(std::move(o));
  return Object{{"items", std::move(items)}};
}

}  // namespace

void AddSecurityHeaders(HttpResponse& r) {
  r.SetHeader("Content-Security-Policy",
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
              "frame-ancestors 'none'");
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("X-Frame-Options", "DENY");
  r.SetHeader("Referrer-Policy", "no-referrer");
}

ApiServer::ApiServer(AppService& apps, Authenticator& auth, Registry& registry,
                     DaemonMetrics& metrics, ApiOptions options, StaticHandler static_handler)
    : apps_(apps), auth_(auth), registry_(registry), metrics_(metrics), options_(options),
      static_handler_(std::move(static_handler)) {
  subscription_ = apps_.Subscribe([this](const Object& app) {
    Broadcast("event: app\ndata: " + app.dump(-1, ' ', false, Object::error_handler_t::replace) +
              "\n\n");
  });
  heartbeat_ = std::thread([this] { HeartbeatLoop(); });
}

ApiServer::~ApiServer() {
  subscription_.reset();
  {
    std::lock_guard<std::mutex> lock(hb_mu_);
    stopping_ = true;
  }
  hb_cv_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  CloseStreams();
}

void ApiServer::HeartbeatLoop() {
  std::unique_lock<std::mutex> lock(hb_mu_);
  while (!stopping_) {
    hb_cv_.wait_for(lock, std::chrono::seconds(options_.sse_heartbeat_seconds));
    if (stopping_) break;
    lock.unlock();
    Broadcast(": ping\n\n");
    lock.lock();
  }
}

void ApiServer::Broadcast(const std::string& frame) {
  std::vector<std::shared_ptr<net::HttpResponder>> live;
  {
    std::lock_guard<std::mutex> lock(streams_mu_);
    std::erase_if(streams_, [](const EventStream& s) { return s.responder->Closed(); });
    for (const auto& s : streams_) live.push_back(s.responder);
  }
  // Written without holding the lock: a slow client never blocks others.
  for (auto& s : live) s->Write(frame);
}

void ApiServer::CloseStreams() {
  std::vector<EventStream> live;
  {
    std::lock_guard<std::mutex> lock(streams_mu_);
    live.swap(streams_);
  }
  for (auto& s : live) s.responder->EndStream();
}

void ApiServer::CloseSessionStreams(const std::string& session_id) {
  std::vector<std::shared_ptr<net::HttpResponder>> ended;
  {
    std::lock_guard<std::mutex> lock(streams_mu_);
    std::erase_if(streams_, [&](const EventStream& s) {
      if (s.session_id != session_id) return false;
      ended.push_back(s.responder);
      return true;
    });
  }
  for (auto& s : ended) s->EndStream();
}

void ApiServer::StartEvents(std::shared_ptr<net::HttpResponder> responder,
                            std::string session_id) {
  HttpResponse head;
  AddSecurityHeaders(head);
  head.SetHeader("Content-Type", "text/event-stream");
  head.SetHeader("Cache-Control", "no-store");
  head.SetHeader("X-Accel-Buffering", "no");
  responder->StartStream(200, head.headers);
  responder->Write("retry: 2000\n\n");
  std::lock_guard<std::mutex> lock(streams_mu_);
  std::erase_if(streams_, [](const EventStream& s) { return s.responder->Closed(); });
  streams_.push_back({std::move(responder), std::move(session_id)});
}

bool ApiServer::SeenDelivery(const std::string& key) {
  std::lock_guard<std::mutex> lock(dedupe_mu_);
  if (deliveries_.count(key)) return true;
  deliveries_.insert(key);
  delivery_order_.push_back(key);
  while (delivery_order_.size() > options_.webhook_dedupe_window) {
    deliveries_.erase(delivery_order_.front());
    delivery_order_.pop_front();
  }
  return false;
}

HttpResponse ApiServer::HandleWebhook(const HttpRequest& req) {
  auto count = [&](std::string_view provider, std::string_view result) {
    metrics_.webhook_requests.Inc({std::string(provider), std::string(result)});
  };
  if (req.method != "POST") return Error(405, "webhooks are POST requests");
  if (req.body.size() > options_.max_webhook_bytes) {
    count("unknown", "too_large");
    return Error(413, "webhook body over " + std::to_string(options_.max_webhook_bytes) + " bytes");
  }
  HeaderMap headers(req.headers.begin(), req.headers.end());
  auto provider = DetectProvider(headers);
  if (!provider.ok()) {
    count("unknown", "unknown_provider");
    return Error(provider.status());
  }
  std::string pname(ProviderName(*provider));
  // Parsing first tells which repository's secret applies; nothing is acted
  // on before the signature is verified.
  auto event = ParseEvent(*provider, headers, req.body);
  std::vector<std::string> urls;
  if (event.ok() && event->has_value()) urls = (*event)->repo_urls;
  std::string secret = apps_.WebhookSecretFor(urls);
  if (!(options_.allow_unsigned_webhooks && secret.empty())) {
    Status sig = VerifySignature(*provider, headers, req.body, secret);
    if (!sig.ok()) {
      count(pname, "bad_signature");
      log::Warn("webhook", "rejected webhook", {{"provider", pname}, {"reason", sig.message()},
                                                {"remote", req.remote}});
      return Error(sig);
    }
  }
  if (!event.ok()) {
    count(pname, "bad_payload");
    return Error(event.status());
  }
  if (!event->has_value()) {
    count(pname, "ignored");
    return Json(200, Object{{"refreshed", Object::array()}, {"ignored", true}});
  }
  const PushEvent& push = **event;
  if (!push.delivery_id.empty() && SeenDelivery(pname + ":" + push.delivery_id)) {
    count(pname, "duplicate");
    return Json(200, Object{{"refreshed", Object::array()}, {"duplicate", true}});
  }
  WebhookOutcome out = apps_.OnPush(push);
  count(pname, "ok");
  log::Info("webhook", "push received",
            {{"provider", pname}, {"revision", push.revision},
             {"refreshed", std::to_string(out.refreshed.size())}});
  return Json(200, Object{{"refreshed", out.refreshed}, {"skipped", out.skipped},
                          {"revision", push.revision}});
}

HttpResponse ApiServer::HandleLogin(const HttpRequest& req) {
  auto body = BodyJson(req);
  if (!body.ok()) return Error(body.status());
  std::string user = body->value("user", "");
  std::string token = body->value("token", body->value("password", ""));
  auto p = auth_.Login(user, token);
  if (!p.ok()) {
    log::Warn("auth", "failed login", {{"user", user}, {"remote", req.remote}});
    return Error(p.status());
  }
  HttpResponse r = Json(200, PrincipalJson(*p));
  std::string cookie = std::string(Authenticator::kCookieName) + "=" + p->session_id +
                       "; Path=/; HttpOnly; SameSite=Strict";
  if (options_.tls) cookie += "; Secure";
  r.SetHeader("Set-Cookie", cookie);
  log::Info("auth", "login", {{"user", p->user}, {"role", std::string(RoleName(p->role))}});
  return r;
}

HttpResponse ApiServer::Dispatch(const HttpRequest& req, const Principal& who) {
  const std::string& path = req.path;
  const bool get = req.method == "GET" || req.method == "HEAD";
  const bool post = req.method == "POST";
  auto need = [&](Role role) -> std::optional<HttpResponse> {
    if (who.role >= role) return std::nullopt;
    if (who.user.empty()) return Error(401, "authentication required");
    return Error(403, "user \"" + who.user + "\" (" + std::string(RoleName(who.role)) +
                          ") may not do this; it needs the " + std::string(RoleName(role)) +
                          " role");
  };
  if (path == "/api/v1/session" && get) return Json(200, PrincipalJson(who));
  if (path == "/api/v1/logout" && post) {
    if (!who.session_id.empty()) {
      auth_.Logout(who.session_id);
      CloseSessionStreams(who.session_id);  // what it streams is no longer theirs to read
    }
    HttpResponse r = Json(200, Object{{"ok", true}});
    r.SetHeader("Set-Cookie", std::string(Authenticator::kCookieName) +
                                  "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return r;
  }
  if (path == "/api/v1/apps" && get) {
    if (auto denied = need(Role::kViewer)) return *denied;
    return Json(200, Items(apps_.ListApps()));
  }
  std::string name, rest;
  if (!SplitAppPath(path, &name, &rest)) return Error(404, "no such endpoint: " + path);
  if (get) {
    if (auto denied = need(Role::kViewer)) return *denied;
    if (rest.empty()) {
      auto app = apps_.GetApp(name);
      return app.ok() ? Json(200, *app) : Error(app.status());
    }
    Result<ObjectList> list = rest == "history"     ? apps_.History(name)
                              : rest == "resources" ? apps_.Resources(name)
                              : rest == "diff"      ? apps_.Diff(name)
                                                    : Result<ObjectList>(NotFound("no such endpoint: " + path));
    return list.ok() ? Json(200, Items(std::move(*list))) : Error(list.status());
  }
  if (!post) return Error(405, "method " + req.method + " not allowed on " + path);
  if (auto denied = need(Role::kOperator)) return *denied;
  auto body = BodyJson(req);
  if (!body.ok()) return Error(body.status());
  const std::string& initiator = who.user;
  if (rest == "refresh") return Accepted(apps_.Refresh(name, initiator));
  if (rest == "sync") {
    SyncRequest s;
    s.revision = body->value("revision", "");
    s.prune = body->value("prune", false);
    s.dry_run = body->value("dryRun", false);
    return Accepted(apps_.Sync(name, s, initiator));
  }
  if (rest == "rollback") {
    auto id = body->find("id");
    if (id == body->end() || !(id->is_number_integer() || id->is_string())) {
      return Error(400, "rollback needs {\"id\": <history entry id>}");
    }
    int64_t hid = 0;
    if (id->is_string()) {
      try {
        hid = std::stoll(id->get<std::string>());
      } catch (...) {
        return Error(400, "rollback id must be a number");
      }
    } else {
      hid = id->get<int64_t>();
    }
    return Accepted(apps_.Rollback(name, hid, initiator));
  }
  if (rest == "hold/release") return Accepted(apps_.ReleaseHold(name, initiator));
  return Error(404, "no such endpoint: " + path);
}

void ApiServer::Handle(HttpRequest req, std::shared_ptr<net::HttpResponder> responder) {
  auto send = [&](HttpResponse r) {
    AddSecurityHeaders(r);
    if (req.method == "HEAD") r.body.clear();
    responder->Send(std::move(r));
  };
  const std::string& path = req.path;
  if (path == "/healthz") return send(Json(200, Object{{"status", "ok"}}));
  if (path == "/readyz") {
    bool ready = apps_.Ready();
    return send(Json(ready ? 200 : 503, Object{{"status", ready ? "ready" : "starting"}}));
  }
  if (path == "/metrics") {
    HttpResponse r;
    r.body = registry_.Expose();
    r.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return send(std::move(r));
  }
  if (path == "/api/webhook" || path == "/api/webhook/") return send(HandleWebhook(req));
  if (path.rfind("/api/", 0) != 0) {
    HttpResponse r;
    if (static_handler_ && (req.method == "GET" || req.method == "HEAD") && static_handler_(req, &r)) {
      return send(std::move(r));
    }
    return send(Error(404, "not found: " + path));
  }
  if (path == "/api/v1/login") {
    if (req.method != "POST") return send(Error(405, "login is a POST request"));
    return send(HandleLogin(req));
  }
  auto who = auth_.Authenticate(req.Header("authorization"), req.Header("cookie"));
  if (!who.ok()) return send(Error(who.status()));
  // Cookie sessions are ambient credentials: every state-changing request
  // must prove it comes from our page.
  if (who->via_cookie && req.method != "GET" && req.method != "HEAD") {
    if (!ConstantTimeEquals(req.Header("x-csrf-token"), who->csrf_token)) {
      return send(Error(403, "missing or wrong X-CSRF-Token"));
    }
  }
  if (path == "/api/v1/events" && req.method == "GET") {
    if (who->role < Role::kViewer) {
      return send(Error(who->user.empty() ? 401 : 403, "authentication required"));
    }
    return StartEvents(std::move(responder), who->via_cookie ? who->session_id : "");
  }
  send(Dispatch(req, *who));
}

}  // namespace gitopsd::server
