// The REST client against a scripted API server: discovery (aggregated and
// legacy, refresh on a miss), paths, auth, apply/create/delete requests,
// error decoding, retries, watch and list-watch.
#include "daemon/kube/rest_client.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "daemon/kube/api_status.h"
#include "daemon/kube/list_watch.h"
#include "tests/kube/fake_server.h"

namespace gitopsd::kube {
namespace {

using gitopsd::testing::FakeServer;
using net::HttpRequest;
using net::HttpResponder;
using net::HttpResponse;

constexpr char kAggregatedType[] =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

Object Resource(const std::string& plural, const std::string& kind, bool namespaced) {
  return {{"resource", plural},
          {"responseKind", {{"group", ""}, {"version", ""}, {"kind", kind}}},
          {"scope", namespaced ? "Namespaced" : "Cluster"},
          {"singularResource", ""},
          {"verbs", {"get", "list", "watch", "create", "patch", "delete"}}};
}

Object Group(const std::string& name, const std::string& version, Object resources) {
  return {{"metadata", {{"name", name}}},
          {"versions", {{{"version", version}, {"resources", std::move(resources)}}}}};
}

// A tiny API server: aggregated discovery, and per-test route overrides.
struct FakeApi {
  std::atomic<bool> widgets_served{false};
  std::atomic<bool> legacy{false};
  std::function<bool(const HttpRequest&, std::shared_ptr<HttpResponder>&)> route;

  void Handle(const HttpRequest& req, std::shared_ptr<HttpResponder> r) {
    if (route && route(req, r)) return;
    if (req.path == "/api" || req.path == "/apis") {
      r->Send(Discovery(req.path == "/api"));
      return;
    }
    if (legacy && req.path == "/api/v1") {
      r->Send(FakeServer::Json(200, R"({"kind":"APIResourceList","groupVersion":"v1","resources":[
        {"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","verbs":["get","list"]},
        {"name":"pods/status","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]},
        {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["get"],"shortNames":["ns"]}]})"));
      return;
    }
    if (legacy && req.path == "/apis/apps/v1") {
      r->Send(FakeServer::Json(200, R"({"kind":"APIResourceList","groupVersion":"apps/v1","resources":[
        {"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["get"]}]})"));
      return;
    }
    r->Send(FakeServer::Json(404, R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404})"));
  }

  HttpResponse Discovery(bool core) {
    if (legacy) {
      return FakeServer::Json(200, core ? R"({"kind":"APIVersions","versions":["v1"]})"
                                        : R"({"kind":"APIGroupList","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}]}]})");
    }
    Object items = Object::array();
    if (core) {
      items.push_back(Group("", "v1",
                            {Resource("configmaps", "ConfigMap", true),
                             Resource("namespaces", "Namespace", false)}));
    } else {
      items.push_back(Group("apps", "v1", {Resource("deployments", "Deployment", true)}));
      if (widgets_served) {
        items.push_back(Group("example.com", "v1", {Resource("widgets", "Widget", true)}));
      }
    }
    Object doc = {{"kind", "APIGroupDiscoveryList"},
                  {"apiVersion", "apidiscovery.k8s.io/v2"},
                  {"items", items}};
    HttpResponse resp;
    resp.body = doc.dump();
    resp.SetHeader("Content-Type", kAggregatedType);
    return resp;
  }
};

class RestClientTest : public ::testing::Test {
 protected:
  RestClientTest()
      : server_([this](const HttpRequest& req, std::shared_ptr<HttpResponder> r) {
          api_.Handle(req, std::move(r));
        }) {}

  std::unique_ptr<Client> NewClient(ClientOptions options = {}) {
    RestConfig rc;
    rc.server = server_.url();
    rc.bearer_token = "tok";
    rc.namespace_ = "team";
    options.retry.initial_backoff = std::chrono::milliseconds(1);
    auto c = NewRestClient(rc, options);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(c).value();
  }

  std::vector<HttpRequest> RequestsTo(const std::string& path) {
    std::vector<HttpRequest> out;
    for (auto& r : server_.requests()) {
      if (r.path == path) out.push_back(r);
    }
    return out;
  }

  FakeApi api_;
  FakeServer server_;
};

TEST_F(RestClientTest, AggregatedDiscoveryResolvesKinds) {
  auto client = NewClient();
  auto deploy = client->Resolve({"apps", "v1", "Deployment"});
  ASSERT_TRUE(deploy.ok()) << deploy.status().ToString();
  EXPECT_EQ(deploy->resource, "deployments");
  EXPECT_TRUE(deploy->namespaced);
  auto ns = client->Resolve({"", "v1", "Namespace"});
  ASSERT_TRUE(ns.ok());
  EXPECT_FALSE(ns->namespaced);
  auto discovery = RequestsTo("/apis");
  ASSERT_EQ(discovery.size(), 1u);
  EXPECT_NE(discovery[0].Header("accept").find("as=APIGroupDiscoveryList"), std::string::npos);
  EXPECT_EQ(discovery[0].Header("authorization"), "Bearer tok");
}

TEST_F(RestClientTest, DiscoveryMissRefreshesSoANewCrdIsFound) {
  auto client = NewClient();
  auto miss = client->Resolve({"example.com", "v1", "Widget"});
  ASSERT_FALSE(miss.ok());
  EXPECT_EQ(miss.status().code(), Code::kNotFound);
  EXPECT_NE(miss.status().message().find("no matches for kind \"Widget\""), std::string::npos);
  api_.widgets_served = true;
  auto hit = client->Resolve({"example.com", "v1", "Widget"});
  ASSERT_TRUE(hit.ok()) << hit.status().ToString();
  EXPECT_EQ(hit->resource, "widgets");
  size_t before = RequestsTo("/apis").size();
  ASSERT_TRUE(client->Resolve({"apps", "v1", "Deployment"}).ok());
  EXPECT_EQ(RequestsTo("/apis").size(), before);  // cached
}

TEST_F(RestClientTest, LegacyDiscoveryIsTheFallback) {
  api_.legacy = true;
  auto client = NewClient();
  auto cm = client->Resolve({"", "v1", "ConfigMap"});
  ASSERT_TRUE(cm.ok()) << cm.status().ToString();
  EXPECT_EQ(cm->resource, "configmaps");
  auto ns = client->Resolve({"", "v1", "Namespace"});
  ASSERT_TRUE(ns.ok());
  EXPECT_FALSE(ns->namespaced);
  EXPECT_EQ(ns->short_names, std::vector<std::string>{"ns"});
  EXPECT_TRUE(client->Resolve({"apps", "v1", "Deployment"}).ok());
  EXPECT_FALSE(client->Resolve({"", "v1", "Pod"}).ok());  // only a subresource was listed
}

TEST_F(RestClientTest, GetUsesTheDefaultNamespaceAndDecodesNotFound) {
  api_.route = [](const HttpRequest& req, std::shared_ptr<HttpResponder>& r) {
    if (req.path == "/apis/apps/v1/namespaces/team/deployments/web") {
      r->Send(FakeServer::Json(200, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}})"));
      return true;
    }
    if (req.path == "/api/v1/namespaces/x") {
      r->Send(FakeServer::Json(404, R"({"kind":"Status","status":"Failure","message":"namespaces \"x\" not found","reason":"NotFound","code":404})"));
      return true;
    }
    return false;
  };
  auto client = NewClient();
  auto web = client->Get({"apps", "v1", "Deployment", "", "web"});
  ASSERT_TRUE(web.ok()) << web.status().ToString();
  EXPECT_EQ(NameOf(*web), "web");
  auto x = client->Get({"", "v1", "Namespace", "ignored", "x"});
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(x.status().code(), Code::kNotFound);
  EXPECT_NE(x.status().message().find("namespaces \"x\" not found (NotFound, HTTP 404)"),
            std::string::npos)
      << x.status().message();
}

TEST_F(RestClientTest, ListFollowsContinueTokensAndSetsKinds) {
  api_.route = [](const HttpRequest& req, std::shared_ptr<HttpResponder>& r) {
    if (req.path != "/api/v1/configmaps") return false;
    auto q = req.QueryParams();
    if (q["continue"].empty()) {
      r->Send(FakeServer::Json(200, R"({"kind":"ConfigMapList","metadata":{"resourceVersion":"7","continue":"page2"},"items":[{"metadata":{"name":"a"}}]})"));
    } else {
      r->Send(FakeServer::Json(200, R"({"kind":"ConfigMapList","metadata":{"resourceVersion":"8"},"items":[{"metadata":{"name":"b"}}]})"));
    }
    return true;
  };
  auto client = NewClient();
  ListOptions lo;
  lo.label_selector = "gitopsd.io/app=shop";
  lo.page_size = 1;
  auto list = client->List({"", "v1", "ConfigMap"}, lo);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(KindOf(list->items[1]), "ConfigMap");
  EXPECT_EQ(ApiVersionOf(list->items[1]), "v1");
  EXPECT_EQ(list->resource_version, "8");
  auto reqs = RequestsTo("/api/v1/configmaps");
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].QueryParams()["labelSelector"], "gitopsd.io/app=shop");
  EXPECT_EQ(reqs[0].QueryParams()["limit"], "1");
  EXPECT_EQ(reqs[1].QueryParams()["continue"], "page2");
}

TEST_F(RestClientTest, ApplyIsAServerSideApplyPatch) {
  api_.route = [](const HttpRequest& req, std::shared_ptr<HttpResponder>& r) {
    if (req.method != "PATCH") return false;
    r->Send(FakeServer::Json(200, req.body));
    return true;
  };
  auto client = NewClient();
  Object cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "cfg"}}}};
  ApplyOptions ao;
  ao.dry_run = true;
  auto applied = client->Apply(cm, ao);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(NamespaceOf(*applied), "team");
  auto reqs = RequestsTo("/api/v1/namespaces/team/configmaps/cfg");
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].Header("content-type"), "application/apply-patch+yaml");
  auto q = reqs[0].QueryParams();
  EXPECT_EQ(q["fieldManager"], "gitopsd");
  EXPECT_EQ(q["force"], "true");
  EXPECT_EQ(q["dryRun"], "All");

  Object ns = {{"apiVersion", "v1"}, {"kind", "Namespace"},
               {"metadata", {{"name", "n1"}, {"namespace", "bogus"}}}};
  auto applied_ns = client->Apply(ns, {});
  ASSERT_TRUE(applied_ns.ok()) << applied_ns.status().ToString();
  EXPECT_FALSE((*applied_ns)["metadata"].contains("namespace"));
  ASSERT_EQ(RequestsTo("/api/v1/namespaces/n1").size(), 1u);
}

TEST_F(RestClientTest, DeleteSendsPropagationPolicy) {
  api_.route = [](const HttpRequest& req, std::shared_ptr<HttpResponder>& r) {
    if (req.method != "DELETE") return false;
    r->Send(FakeServer::Json(200, R"({"kind":"Status","status":"Success"})"));
    return true;
  };
  auto client = NewClient();
  DeleteOptions opts;
  opts.propagation_policy = "Foreground";
  ASSERT_TRUE(client->Delete({"apps", "v1", "Deployment", "prod", "web"}, opts).ok());
  auto reqs = RequestsTo("/apis/apps/v1/namespaces/prod/deployments/web");
  ASSERT_EQ(reqs.size(), 1u);
  Object body = Object::parse(reqs[0].body);
  EXPECT_EQ(body["propagationPolicy"], "Foreground");
  EXPECT_EQ(body["kind"], "DeleteOptions");
}

TEST_F(RestClientTest, TooManyRequestsIsRetriedHonouringRetryAfter) {
  std::atomic<int> calls{0};
  api_.route = [&](const HttpRequest& req, std::shared_ptr<HttpResponder>& r) {
    if (req.path != "/api/v1/namespaces/team/configmaps") return false;
    if (++calls <= 2) {
      auto resp = FakeServer::Json(429, R"({"kind":"Status","message":"slow down","reason":"TooManyRequests","code":429})");
      resp.SetHeader("Retry-After", "0");
      r->Send(resp);
    } else {
      r->Send(FakeServer::Json(201, req.body));
    }
    return true;
  };
  auto client = NewClient();
  Object cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "c"}}}};
  auto created = client->Create(cm, {});  // even a create: 429 means "not done"
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(calls.load(), 3);
}

TEST_F(RestClientTest, ServerErrorsAreRetriedOnlyForIdempotentCalls) {
  std::atomic<int> posts{0}, gets{0};
  api_.route = [&](const HttpRequest& req, std::shared_ptr<HttpResponder>& r) {
    if (req.path.rfind("/api/v1/namespaces/team/configmaps", 0) != 0) return false;
    (req.method == "POST" ? posts : gets)++;
    r->Send(FakeServer::Json(503, R"({"kind":"Status","message":"etcd is down","reason":"ServiceUnavailable","code":503})"));
    return true;
  };
  ClientOptions options;
  options.retry.max_retries = 2;
  auto client = NewClient(options);
  Object cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "c"}}}};
  auto created = client->Create(cm, {});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), Code::kUnavailable);
  EXPECT_NE(created.status().message().find("etcd is down"), std::string::npos);
  EXPECT_EQ(posts.load(), 1);
  auto got = client->Get({"", "v1", "ConfigMap", "", "c"});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(gets.load(), 3);
}

TEST_F(RestClientTest, ConflictAndAlreadyExistsAreDistinguished) {
  api_.route = [&](const HttpRequest& req, std::shared_ptr<HttpResponder>& r) {
    if (req.method == "POST") {
      r->Send(FakeServer::Json(409, R"({"kind":"Status","message":"configmaps \"c\" already exists","reason":"AlreadyExists","code":409})"));
      return true;
    }
    if (req.method == "PATCH") {
      r->Send(FakeServer::Json(409, R"({"kind":"Status","message":"Apply failed with 1 conflict","reason":"Conflict","code":409})"));
      return true;
    }
    return false;
  };
  auto client = NewClient();
  Object cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "c"}}}};
  EXPECT_EQ(client->Create(cm, {}).status().code(), Code::kAlreadyExists);
  ApplyOptions ao;
  ao.force = false;
  EXPECT_EQ(client->Apply(cm, ao).status().code(), Code::kConflict);
}

void StreamEvents(std::shared_ptr<HttpResponder> r, std::vector<std::string> lines) {
  r->StartStream(200, {{"Content-Type", "application/json"}});
  std::thread([r, lines = std::move(lines)] {
    for (const auto& l : lines) r->Write(l + "\n");
    r->EndStream();
  }).detach();
}

TEST_F(RestClientTest, WatchDeliversEventsAndTracksBookmarks) {
  api_.route = [&](const HttpRequest& req, std::shared_ptr<HttpResponder>& r) {
    if (req.QueryParams()["watch"] != "true") return false;
    StreamEvents(r, {R"({"type":"ADDED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"11"}}})",
                     R"({"type":"MODIFIED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"12"}}})",
                     R"({"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"15"}}})"});
    return true;
  };
  auto client = NewClient();
  WatchOptions wo;
  wo.namespace_ = "team";
  wo.resource_version = "10";
  std::vector<WatchEvent::Type> types;
  std::string rv;
  Status st = client->Watch({"", "v1", "ConfigMap"}, wo,
                            [&](const WatchEvent& ev) {
                              types.push_back(ev.type);
                              return true;
                            },
                            &rv);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(types, (std::vector<WatchEvent::Type>{WatchEvent::Type::kAdded,
                                                  WatchEvent::Type::kModified,
                                                  WatchEvent::Type::kBookmark}));
  EXPECT_EQ(rv, "15");
  auto reqs = RequestsTo("/api/v1/namespaces/team/configmaps");
  ASSERT_EQ(reqs.size(), 1u);
  auto q = reqs[0].QueryParams();
  EXPECT_EQ(q["resourceVersion"], "10");
  EXPECT_EQ(q["allowWatchBookmarks"], "true");
}

TEST_F(RestClientTest, ListWatchRelistsAfterGoneAndResumesAfterStreamEnd) {
  std::atomic<int> lists{0}, watches{0};
  api_.route = [&](const HttpRequest& req, std::shared_ptr<HttpResponder>& r) {
    if (req.path != "/api/v1/configmaps") return false;
    auto q = req.QueryParams();
    if (q["watch"] != "true") {
      int n = ++lists;
      r->Send(FakeServer::Json(200, R"({"metadata":{"resourceVersion":")" +
                                        std::to_string(n * 100) + R"("},"items":[]})"));
      return true;
    }
    int w = ++watches;
    if (w == 1) {  // expired: must relist
      StreamEvents(r, {R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version"}})"});
    } else if (w == 2) {  // a normal stream end: must resume from 201
      StreamEvents(r, {R"({"type":"ADDED","object":{"metadata":{"name":"x","resourceVersion":"201"}}})"});
    } else {
      StreamEvents(r, {R"({"type":"DELETED","object":{"metadata":{"name":"x","resourceVersion":"202"}}})"});
    }
    return true;
  };
  auto client = NewClient();
  std::vector<std::string> seen;
  ListWatchOptions lwo;
  lwo.backoff.initial_backoff = std::chrono::milliseconds(1);
  ListWatchHandlers handlers;
  handlers.on_list = [&](const ListResult& l) {
    seen.push_back("list@" + l.resource_version);
    return true;
  };
  handlers.on_event = [&](const WatchEvent& ev) {
    seen.push_back(GetString(ev.object, "metadata.resourceVersion"));
    return ev.type != WatchEvent::Type::kDeleted;
  };
  Status st = RunListWatch(*client, {"", "v1", "ConfigMap"}, lwo, handlers);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{"list@100", "list@200", "201", "202"}));
  std::vector<std::string> watch_rvs;
  for (auto& r : RequestsTo("/api/v1/configmaps")) {
    if (r.QueryParams()["watch"] == "true") watch_rvs.push_back(r.QueryParams()["resourceVersion"]);
  }
  EXPECT_EQ(watch_rvs, (std::vector<std::string>{"100", "200", "201"}));
}

TEST_F(RestClientTest, ExecPluginTokenIsSentAndRefreshedAfter401) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("rest_exec_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path script = dir / "plugin.sh";
  std::ofstream(script) << "#!/bin/sh\nn=$(cat " << (dir / "n").string()
                        << " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " << (dir / "n").string()
                        << "\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                           "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"exec-'$n'\"}}'\n";
  ::chmod(script.c_str(), 0755);
  api_.route = [&](const HttpRequest& req, std::shared_ptr<HttpResponder>& r) {
    if (req.Header("authorization") == "Bearer exec-1") {
      r->Send(FakeServer::Json(401, R"({"kind":"Status","message":"Unauthorized","reason":"Unauthorized","code":401})"));
      return true;
    }
    return false;
  };
  RestConfig rc;
  rc.server = server_.url();
  rc.exec = ExecConfig{};
  rc.exec->api_version = "client.authentication.k8s.io/v1";
  rc.exec->command = script.string();
  auto client = NewRestClient(rc, {});
  ASSERT_TRUE(client.ok());
  auto info = (*client)->Resolve({"apps", "v1", "Deployment"});
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  auto reqs = server_.requests();
  ASSERT_GE(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].Header("authorization"), "Bearer exec-1");
  EXPECT_EQ(reqs[1].Header("authorization"), "Bearer exec-2");
  EXPECT_EQ(reqs.back().Header("authorization"), "Bearer exec-2");
  fs::remove_all(dir);
}

TEST_F(RestClientTest, TokenFileIsReadOnUse) {
  namespace fs = std::filesystem;
  fs::path file = fs::temp_directory_path() / ("rest_token_" + std::to_string(::getpid()));
  std::ofstream(file) << "file-token\n";
  RestConfig rc;
  rc.server = server_.url();
  rc.token_file = file.string();
  auto client = NewRestClient(rc, {});
  ASSERT_TRUE((*client)->Resolve({"apps", "v1", "Deployment"}).ok());
  EXPECT_EQ(server_.requests()[0].Header("authorization"), "Bearer file-token");
  fs::remove(file);
}

TEST(ThrottleTest, RateLimiterAllowsABurstThenSpacesCalls) {
  RateLimiter limiter(10, 2);
  auto t0 = RateLimiter::Clock::now();
  EXPECT_EQ(limiter.Reserve(t0), RateLimiter::Clock::duration::zero());
  EXPECT_EQ(limiter.Reserve(t0), RateLimiter::Clock::duration::zero());
  auto wait = limiter.Reserve(t0);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count(), 100);
  auto wait2 = limiter.Reserve(t0);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(wait2).count(), 200);
  // After a second, the bucket has refilled to its burst.
  EXPECT_EQ(limiter.Reserve(t0 + std::chrono::seconds(2)), RateLimiter::Clock::duration::zero());
}

TEST(ThrottleTest, RetryDelayBacksOffAndHonoursRetryAfter) {
  RetryPolicy p;
  EXPECT_EQ(RetryDelay(p, 1, "3").count(), 3000);
  EXPECT_EQ(RetryDelay(p, 1, "3600").count(), p.max_retry_after.count());
  auto d1 = RetryDelay(p, 1, "");
  auto d4 = RetryDelay(p, 4, "");
  EXPECT_LE(d1.count(), 200);
  EXPECT_GE(d1.count(), 150);
  EXPECT_LE(d4.count(), 1600);
  EXPECT_GE(d4.count(), 1200);
  EXPECT_LE(RetryDelay(p, 30, "").count(), p.max_backoff.count());
  EXPECT_FALSE(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
}

TEST(ApiStatusTest, MapsHttpCodesAndKeepsTheServerMessage) {
  Status st = ApiError(422, R"({"kind":"Status","message":"Deployment.apps \"x\" is invalid","reason":"Invalid","code":422})", "apply x");
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(st.message(), "apply x: Deployment.apps \"x\" is invalid (Invalid, HTTP 422)");
  EXPECT_EQ(ApiError(403, "forbidden", "w").code(), Code::kPermissionDenied);
  EXPECT_EQ(ApiError(401, "", "w").code(), Code::kUnauthenticated);
  Status gone = ApiError(410, R"({"kind":"Status","reason":"Expired","message":"too old"})", "watch");
  EXPECT_TRUE(IsGone(gone));
  EXPECT_FALSE(IsGone(ApiError(409, "", "w")));
}

}  // namespace
}  // namespace gitopsd::kube
