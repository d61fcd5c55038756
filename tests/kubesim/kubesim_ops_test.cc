// Operations: the durable state file, HTTPS with a generated CA and the
// kubeconfig, fault injection on the admin endpoint, several servers at once.
#include <fstream>

#include "core/net/tls.h"
#include "kubesim_test_util.h"

namespace gitopsd::kubesim::testing {
namespace {

TEST(KubesimOps, StateFileSurvivesRestart) {
  Options o = TestOptions();
  std::string dir = ::testing::TempDir() + "/kubesim-state";
  std::filesystem::create_directories(dir);
  o.state_file = dir + "/state.json";
  std::filesystem::remove(o.state_file);
  std::string uid;
  {
    Server s(o);
    ASSERT_TRUE(s.Start().ok());
    Api api(s.url(), o.token);
    Reply r = api.Post("/api/v1/namespaces/default/configmaps",
                       Object{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "kept"}}}});
    uid = r.body["metadata"]["uid"];
    s.Stop();
  }
  ASSERT_TRUE(std::filesystem::exists(o.state_file));
  Server s(o);
  ASSERT_TRUE(s.Start().ok());
  Api api(s.url(), o.token);
  Reply r = api.Get("/api/v1/namespaces/default/configmaps/kept");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["metadata"]["uid"], uid);
  Reply created = api.Post("/api/v1/namespaces/default/configmaps",
                           Object{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "new"}}}});
  EXPECT_GT(std::stoll(created.body["metadata"]["resourceVersion"].get<std::string>()),
            std::stoll(r.body["metadata"]["resourceVersion"].get<std::string>()));
}

TEST(KubesimOps, HttpsWithGeneratedCaAndKubeconfig) {
  Options o = TestOptions();
  o.tls = true;
  Server s(o);
  ASSERT_TRUE(s.Start().ok());
  EXPECT_EQ(s.url().rfind("https://127.0.0.1:", 0), 0u);
  Api api(s.url(), o.token, s.ca_pem());
  EXPECT_EQ(api.Get("/api/v1/namespaces/default").status, 200);
  std::string kc = s.Kubeconfig();
  EXPECT_NE(kc.find("certificate-authority-data: "), std::string::npos);
  EXPECT_NE(kc.find("token: test-token"), std::string::npos);
  EXPECT_NE(kc.find("server: " + s.url()), std::string::npos);
}

TEST(KubesimOps, ServingCertificateIsRejectedWithoutTheCa) {
  Options o = TestOptions();
  o.tls = true;
  Server s(o);
  ASSERT_TRUE(s.Start().ok());
  net::HttpClientOptions co;
  auto client = std::move(net::HttpClient::Create(co).value());
  net::HttpClientRequest req;
  req.url = s.url() + "/version";
  EXPECT_FALSE(client->Do(req).ok());
}

TEST(KubesimOps, GeneratedCaSignsServingCertificate) {
  auto ca = net::GenerateCa("test-ca");
  ASSERT_TRUE(ca.ok());
  auto serving = net::GenerateServingCert(*ca, net::CertificateOptions{});
  ASSERT_TRUE(serving.ok());
  EXPECT_NE(serving->cert_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_TRUE(net::TlsContext::FromPem(*serving).ok());
  EXPECT_FALSE(net::TlsContext::FromPem(net::PemPair{"junk", "junk"}).ok());
}

class KubesimFaultTest : public KubesimTest {};

TEST_F(KubesimFaultTest, FailNextRequestsWithRetryAfter) {
  Reply set = api_->Post("/kubesim/faults", Object{{"failNext", 2}, {"code", 429}, {"retryAfterSeconds", 3}});
  ASSERT_EQ(set.status, 200) << set.raw;
  Reply a = api_->Get("/api/v1/namespaces");
  EXPECT_EQ(a.status, 429);
  EXPECT_EQ(a.retry_after, "3");
  EXPECT_EQ(a.body["reason"], "TooManyRequests");
  EXPECT_EQ(api_->Get("/api/v1/namespaces").status, 429);
  EXPECT_EQ(api_->Get("/api/v1/namespaces").status, 200);
}

TEST_F(KubesimFaultTest, AdminEndpointNeedsTheToken) {
  Reply r = api_->Call("POST", "/kubesim/faults", R"({"failNext":1})", "application/json", "wrong");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(api_->Get("/api/v1/namespaces").status, 200);
}

TEST_F(KubesimFaultTest, DropWatchesEndsOpenStreams) {
  bool ended = false;
  std::thread dropper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Api admin(server_->url(), "test-token");
    admin.Post("/kubesim/faults", Object{{"dropWatches", true}});
  });
  auto start = std::chrono::steady_clock::now();
  auto events = api_->Watch("/api/v1/namespaces?watch=true", 100, std::chrono::seconds(20));
  ended = std::chrono::steady_clock::now() - start < std::chrono::seconds(15);
  dropper.join();
  EXPECT_TRUE(ended);
  EXPECT_GE(events.size(), 1u);  // the initial ADDED namespaces arrived first
}

TEST_F(KubesimFaultTest, LatencyDelaysButAnswers) {
  api_->Post("/kubesim/faults", Object{{"latencyMs", 50}});
  EXPECT_EQ(api_->Get("/api/v1/namespaces/default").status, 200);
  api_->Post("/kubesim/faults/reset", Object::object());
  EXPECT_EQ(api_->Get("/kubesim/faults").body["latencyMs"], 0);
}

TEST(KubesimOps, SeveralServersRunSideBySide) {
  Server a(TestOptions()), b(TestOptions());
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  EXPECT_NE(a.port(), b.port());
  Api api(b.url(), "test-token");
  EXPECT_EQ(api.Get("/healthz").raw, "ok");
}

}  // namespace
}  // namespace gitopsd::kubesim::testing
