#include "daemon/server/api.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>

namespace gitopsd::server {
namespace {

// An in-memory AppService: records the commands it receives.
class FakeApps : public AppService {
 public:
  ObjectList ListApps() const override { return {App("shop-dev"), App("shop-prod")}; }
  Result<Object> GetApp(const std::string& name) const override {
    if (name != "shop-dev" && name != "shop-prod") return NotFound("no app \"" + name + "\"");
    return App(name);
  }
  Result<ObjectList> History(const std::string& name) const override {
    RETURN_IF_ERROR(GetApp(name).status());
    return ObjectList{Object{{"id", 1}, {"phase", "Succeeded"}}};
  }
  Result<ObjectList> Resources(const std::string& name) const override {
    RETURN_IF_ERROR(GetApp(name).status());
    return ObjectList{};
  }
  Result<ObjectList> Diff(const std::string& name) const override {
    RETURN_IF_ERROR(GetApp(name).status());
    return ObjectList{};
  }
  Result<std::string> Refresh(const std::string& name, const std::string& who) override {
    RETURN_IF_ERROR(GetApp(name).status());
    commands.push_back("refresh " + name + " by " + who);
    return std::string("r1");
  }
  Result<std::string> Sync(const std::string& name, const SyncRequest& r,
                           const std::string& who) override {
    RETURN_IF_ERROR(GetApp(name).status());
    commands.push_back("sync " + name + " rev=" + r.revision + " prune=" + std::to_string(r.prune) +
                       " dry=" + std::to_string(r.dry_run) + " by " + who);
    return std::string("op-7");
  }
  Result<std::string> Rollback(const std::string& name, int64_t id, const std::string& who) override {
    RETURN_IF_ERROR(GetApp(name).status());
    commands.push_back("rollback " + name + " to " + std::to_string(id) + " by " + who);
    return std::string("op-8");
  }
  Result<std::string> ReleaseHold(const std::string& name, const std::string& who) override {
    commands.push_back("release " + name + " by " + who);
    return std::string("op-9");
  }
  std::string WebhookSecretFor(const std::vector<std::string>& urls) const override {
    for (const auto& u : urls) {
      if (u.find("special") != std::string::npos) return "repo-secret";
    }
    return "global-secret";
  }
  WebhookOutcome OnPush(const PushEvent& e) override {
    commands.push_back("push " + e.revision);
    return {{"shop-dev"}, {}};
  }
  std::shared_ptr<void> Subscribe(Listener l) override {
    listener = std::move(l);
    return std::make_shared<int>(0);
  }
  bool Ready() const override { return ready; }

  static Object App(const std::string& name) {
    return Object{{"name", name}, {"sync", {{"status", "Synced"}}}};
  }

  std::vector<std::string> commands;
  Listener listener;
  bool ready = false;
};

// Captures what the server answers.
class Recorder : public net::HttpResponder {
 public:
  void Send(net::HttpResponse r) override { response = std::move(r); sent = true; }
  void StartStream(int status, std::vector<std::pair<std::string, std::string>> h) override {
    stream_status = status;
    response.headers = std::move(h);
  }
  bool Write(std::string data) override { chunks += data; return true; }
  void EndStream() override { ended = true; }
  void Abort() override {}
  bool Closed() const override { return ended; }
  void OnClose(std::function<void()>) override {}

  std::string Header(const std::string& name) const {
    for (const auto& [k, v] : response.headers) {
      if (k == name) return v;
    }
    return "";
  }
  Object Body() const { return Object::parse(response.body); }

  net::HttpResponse response;
  bool sent = false, ended = false;
  int stream_status = 0;
  std::string chunks;
};

class ApiTest : public testing::Test {
 protected:
  ApiTest()
      : auth_({{"alice", Role::kAdmin, "alice-token"}, {"olga", Role::kOperator, "olga-token"},
               {"victor", Role::kViewer, "victor-token"}},
              {.anonymous_role = Role::kViewer}),
        metrics_(registry_),
        api_(apps_, auth_, registry_, metrics_, ApiOptions{}) {}

  std::shared_ptr<Recorder> Call(const std::string& method, const std::string& path,
                                 std::map<std::string, std::string> headers = {},
                                 std::string body = "") {
    net::HttpRequest req;
    req.method = method;
    req.path = path;
    req.target = path;
    req.headers = std::move(headers);
    req.body = std::move(body);
    auto rec = std::make_shared<Recorder>();
    api_.Handle(req, rec);
    return rec;
  }

  FakeApps apps_;
  Authenticator auth_;
  Registry registry_;
  DaemonMetrics metrics_;
  ApiServer api_;
};

TEST_F(ApiTest, AnonymousViewerReadsButCannotAct) {
  auto r = Call("GET", "/api/v1/apps");
  EXPECT_EQ(r->response.status, 200);
  EXPECT_EQ(r->Body()["items"].size(), 2u);
  EXPECT_NE(r->Header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r->Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Call("POST", "/api/v1/apps/shop-dev/sync")->response.status, 401);
  EXPECT_TRUE(apps_.commands.empty());
}

TEST_F(ApiTest, AnonymousNoneMustLogIn) {
  auth_.SetUsers({{"alice", Role::kAdmin, "alice-token"}}, {.anonymous_role = Role::kNone});
  EXPECT_EQ(Call("GET", "/api/v1/apps")->response.status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/apps", {{"authorization", "Bearer alice-token"}})->response.status, 200);
  EXPECT_EQ(Call("GET", "/healthz")->response.status, 200);
}

TEST_F(ApiTest, BearerTokensCarryRoles) {
  EXPECT_EQ(Call("POST", "/api/v1/apps/shop-dev/sync", {{"authorization", "Bearer victor-token"}})->response.status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/apps/shop-dev/sync", {{"authorization", "Bearer wrong"}})->response.status, 401);
  auto r = Call("POST", "/api/v1/apps/shop-dev/sync", {{"authorization", "Bearer olga-token"}},
                R"({"revision":"abc123","prune":true,"dryRun":true})");
  EXPECT_EQ(r->response.status, 202);
  EXPECT_EQ(r->Body()["id"], "op-7");
  ASSERT_EQ(apps_.commands.size(), 1u);
  EXPECT_EQ(apps_.commands[0], "sync shop-dev rev=abc123 prune=1 dry=1 by olga");
}

TEST_F(ApiTest, CommandsReachTheServiceWithTheUserName) {
  std::map<std::string, std::string> h{{"authorization", "Bearer alice-token"}};
  EXPECT_EQ(Call("POST", "/api/v1/apps/shop-dev/refresh", h)->response.status, 202);
  EXPECT_EQ(Call("POST", "/api/v1/apps/shop-dev/rollback", h, R"({"id": 12})")->response.status, 202);
  EXPECT_EQ(Call("POST", "/api/v1/apps/shop-dev/rollback", h, R"({})")->response.status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/apps/shop-dev/hold/release", h)->response.status, 202);
  EXPECT_EQ(Call("POST", "/api/v1/apps/nope/refresh", h)->response.status, 404);
  EXPECT_EQ(apps_.commands, (std::vector<std::string>{"refresh shop-dev by alice",
                                                      "rollback shop-dev to 12 by alice",
                                                      "release shop-dev by alice"}));
}

TEST_F(ApiTest, CookieSessionsNeedTheCsrfToken) {
  auto login = Call("POST", "/api/v1/login", {}, R"({"user":"olga","token":"olga-token"})");
  ASSERT_EQ(login->response.status, 200);
  std::string cookie = login->Header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP here
  std::string sid = cookie.substr(0, cookie.find(';'));
  std::string csrf = login->Body()["csrfToken"];
  EXPECT_EQ(csrf.size(), 64u);

  auto session = Call("GET", "/api/v1/session", {{"cookie", "theme=dark; " + sid}});
  EXPECT_EQ(session->Body()["user"], "olga");
  EXPECT_EQ(session->Body()["role"], "operator");

  EXPECT_EQ(Call("POST", "/api/v1/apps/shop-dev/refresh", {{"cookie", sid}})->response.status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/apps/shop-dev/refresh", {{"cookie", sid}, {"x-csrf-token", "x"}})->response.status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/apps/shop-dev/refresh", {{"cookie", sid}, {"x-csrf-token", csrf}})->response.status, 202);

  Call("POST", "/api/v1/logout", {{"cookie", sid}, {"x-csrf-token", csrf}});
  EXPECT_EQ(Call("GET", "/api/v1/apps", {{"cookie", sid}})->response.status, 401);
}

TEST_F(ApiTest, LogoutEndsTheSessionsEventStreamsOnly) {
  auto login = Call("POST", "/api/v1/login", {}, R"({"user":"victor","token":"victor-token"})");
  ASSERT_EQ(login->response.status, 200);
  std::string cookie = login->Header("Set-Cookie");
  std::string sid = cookie.substr(0, cookie.find(';'));
  std::string csrf = login->Body()["csrfToken"];
  auto mine = Call("GET", "/api/v1/events", {{"cookie", sid}});
  auto anonymous = Call("GET", "/api/v1/events");
  ASSERT_EQ(mine->stream_status, 200);
  ASSERT_EQ(anonymous->stream_status, 200);
  Call("POST", "/api/v1/logout", {{"cookie", sid}, {"x-csrf-token", csrf}});
  EXPECT_TRUE(mine->ended);
  EXPECT_FALSE(anonymous->ended);
  apps_.listener(FakeApps::App("shop-dev"));
  EXPECT_EQ(mine->chunks.find("event: app"), std::string::npos);
  EXPECT_NE(anonymous->chunks.find("event: app"), std::string::npos);
}

TEST_F(ApiTest, WrongLoginIsRefused) {
  EXPECT_EQ(Call("POST", "/api/v1/login", {}, R"({"user":"olga","token":"alice-token"})")->response.status, 401);
  EXPECT_EQ(Call("POST", "/api/v1/login", {}, R"({"user":"olga","token":""})")->response.status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/login")->response.status, 405);
}

TEST_F(ApiTest, WebhookNeedsAValidSignatureAndDedupesDeliveries) {
  std::string body = R"({"ref":"refs/heads/main","after":"abc","repository":{"clone_url":"https://h/o/env.git"},"commits":[]})";
  auto unsigned_ = Call("POST", "/api/webhook", {{"x-github-event", "push"}}, body);
  EXPECT_EQ(unsigned_->response.status, 401);
  EXPECT_TRUE(apps_.commands.empty());

  std::map<std::string, std::string> h{{"x-github-event", "push"}, {"x-github-delivery", "d1"},
                                       {"x-hub-signature-256", "sha256=" + HmacSha256Hex("global-secret", body)}};
  auto ok = Call("POST", "/api/webhook", h, body);
  EXPECT_EQ(ok->response.status, 200);
  EXPECT_EQ(ok->Body()["refreshed"][0], "shop-dev");
  auto dup = Call("POST", "/api/webhook", h, body);
  EXPECT_EQ(dup->Body()["duplicate"], true);
  EXPECT_EQ(apps_.commands, std::vector<std::string>{"push main"});

  EXPECT_EQ(Call("POST", "/api/webhook", {{"content-type", "application/json"}}, body)->response.status, 400);
  EXPECT_EQ(Call("POST", "/api/webhook", h, std::string(6u << 20, ' '))->response.status, 413);
  EXPECT_EQ(metrics_.webhook_requests.Value({"github", "ok"}), 1);
  EXPECT_EQ(metrics_.webhook_requests.Value({"github", "bad_signature"}), 1);
}

TEST_F(ApiTest, WebhookUsesTheRepositorysOwnSecret) {
  std::string body = R"({"ref":"refs/heads/main","after":"abc","repository":{"clone_url":"https://h/special.git"}})";
  std::map<std::string, std::string> h{{"x-github-event", "push"},
                                       {"x-hub-signature-256", "sha256=" + HmacSha256Hex("global-secret", body)}};
  EXPECT_EQ(Call("POST", "/api/webhook", h, body)->response.status, 401);
  h["x-hub-signature-256"] = "sha256=" + HmacSha256Hex("repo-secret", body);
  EXPECT_EQ(Call("POST", "/api/webhook", h, body)->response.status, 200);
}

TEST_F(ApiTest, ReadinessFollowsTheService) {
  EXPECT_EQ(Call("GET", "/readyz")->response.status, 503);
  apps_.ready = true;
  EXPECT_EQ(Call("GET", "/readyz")->response.status, 200);
  auto m = Call("GET", "/metrics");
  EXPECT_NE(m->response.body.find("# TYPE gitopsd_sync_total counter"), std::string::npos);
}

TEST_F(ApiTest, EventsStreamAppChanges) {
  auto events = Call("GET", "/api/v1/events");
  EXPECT_EQ(events->stream_status, 200);
  EXPECT_EQ(events->Header("Content-Type"), "text/event-stream");
  ASSERT_TRUE(apps_.listener);
  apps_.listener(FakeApps::App("shop-dev"));
  EXPECT_NE(events->chunks.find("event: app\ndata: {\"name\":\"shop-dev\""), std::string::npos);
}

// Regression: the server kept only a weak reference to the stream's
// responder; the HTTP layer keeps none once Handle returns, so a real browser
// got the stream's head and then never an event.
TEST_F(ApiTest, EventsReachAStreamWhoseCallerDroppedTheResponder) {
  std::weak_ptr<Recorder> weak;
  {
    auto events = Call("GET", "/api/v1/events");
    weak = events;
  }
  auto events = weak.lock();
  ASSERT_TRUE(events) << "the server does not own the stream's responder";
  ASSERT_TRUE(apps_.listener);
  apps_.listener(FakeApps::App("shop-prod"));
  EXPECT_NE(events->chunks.find("event: app\ndata: {\"name\":\"shop-prod\""), std::string::npos);
  // A closed stream is let go at the next broadcast.
  events->ended = true;
  apps_.listener(FakeApps::App("shop-dev"));
  events.reset();
  EXPECT_TRUE(weak.expired());
}

TEST_F(ApiTest, UnknownEndpointsAndMethods) {
  EXPECT_EQ(Call("GET", "/api/v1/nope")->response.status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/apps/shop-dev/nope")->response.status, 404);
  EXPECT_EQ(Call("DELETE", "/api/v1/apps/shop-dev", {{"authorization", "Bearer alice-token"}})->response.status, 405);
  EXPECT_EQ(Call("GET", "/index.html")->response.status, 404);  // no static handler here
}

}  // namespace
}  // namespace gitopsd::server
