// core/net/http_client against core/net/http_server: plain and TLS,
// keep-alive reuse, client certificates, timeouts, streaming, cancel.
#include "core/net/http_client.h"

#include <boost/asio/ssl/context.hpp>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "tests/kube/fake_server.h"

namespace gitopsd::net {
namespace {

using testing::FakeServer;

HttpClientRequest Req(std::string url) {
  HttpClientRequest r;
  r.url = std::move(url);
  return r;
}

void Echo(const HttpRequest& req, std::shared_ptr<HttpResponder> r) {
  HttpResponse resp;
  resp.status = req.path == "/missing" ? 404 : 200;
  resp.body = req.method + " " + req.target + " " + req.body;
  resp.SetHeader("X-Seen-Auth", req.Header("authorization"));
  r->Send(resp);
}

TEST(UrlTest, ParsesSchemeHostPortAndTarget) {
  auto u = Url::Parse("https://10.0.0.1:6443/api/v1?watch=true");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "10.0.0.1");
  EXPECT_EQ(u->port, "6443");
  EXPECT_EQ(u->target, "/api/v1?watch=true");
  auto v = Url::Parse("http://[::1]");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->host, "::1");
  EXPECT_EQ(v->port, "80");
  EXPECT_EQ(v->target, "/");
  EXPECT_EQ(v->HostHeader(), "[::1]");
  EXPECT_FALSE(Url::Parse("ftp://x/").ok());
  EXPECT_FALSE(Url::Parse("https://user:pw@x/").ok());
  EXPECT_FALSE(Url::Parse("https://x:port/").ok());
}

TEST(UrlTest, QueryEscapeKeepsUnreservedOnly) {
  EXPECT_EQ(QueryEscape("app=web,tier in (a b)"), "app%3Dweb%2Ctier%20in%20%28a%20b%29");
  EXPECT_EQ(QueryEscape("a-b_c.d~e"), "a-b_c.d~e");
}

TEST(HttpClientTest, PlainRequestsReuseOneKeepAliveConnection) {
  FakeServer server(Echo);
  auto client = HttpClient::Create({});
  ASSERT_TRUE(client.ok());
  for (int i = 0; i < 3; ++i) {
    HttpClientRequest req;
    req.method = "POST";
    req.url = server.url() + "/x?i=" + std::to_string(i);
    req.body = "body";
    req.headers.push_back({"Authorization", "Bearer t"});
    auto resp = (*client)->Do(req);
    ASSERT_TRUE(resp.ok()) << resp.status().ToString();
    EXPECT_EQ(resp->status, 200);
    EXPECT_EQ(resp->body, "POST /x?i=" + std::to_string(i) + " body");
    EXPECT_EQ(resp->Header("x-seen-auth"), "Bearer t");
  }
  EXPECT_EQ((*client)->connections_opened(), 1u);
}

TEST(HttpClientTest, ErrorStatusesAreResponsesNotErrors) {
  FakeServer server(Echo);
  auto client = HttpClient::Create({});
  auto resp = (*client)->Do(Req(server.url() + "/missing"));
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 404);
}

TEST(HttpClientTest, RefusedConnectionIsUnavailable) {
  uint16_t port;
  {
    FakeServer server(Echo);
    port = server.server().port();
  }
  auto client = HttpClient::Create({});
  auto resp = (*client)->Do(Req("http://127.0.0.1:" + std::to_string(port) + "/"));
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), Code::kUnavailable);
}

TEST(HttpClientTest, ServerThatNeverAnswersHitsTheDeadline) {
  std::vector<std::shared_ptr<HttpResponder>> held;
  std::mutex mu;
  FakeServer server([&](const HttpRequest&, std::shared_ptr<HttpResponder> r) {
    std::lock_guard lock(mu);
    held.push_back(std::move(r));  // never answered
  });
  auto client = HttpClient::Create({});
  HttpClientRequest req = Req(server.url() + "/slow");
  req.timeout = std::chrono::milliseconds(300);
  auto resp = (*client)->Do(req);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), Code::kDeadlineExceeded) << resp.status().ToString();
  std::lock_guard lock(mu);
  held.clear();
}

TEST(HttpClientTest, DeadPooledConnectionIsReplacedForIdempotentRequests) {
  FakeServer server(Echo);
  auto client = HttpClient::Create({});
  ASSERT_TRUE((*client)->Do(Req(server.url() + "/a")).ok());
  server.server().DropConnections();
  auto resp = (*client)->Do(Req(server.url() + "/b"));
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->body, "GET /b ");
  EXPECT_EQ((*client)->connections_opened(), 2u);
}

// A client certificate (extendedKeyUsage clientAuth) signed by `ca`, made
// with the openssl command line (core/net/tls.h only makes serving certs).
Result<PemPair> ClientCert(const PemPair& ca) {
  std::string dir = "/tmp/http_client_test_" + std::to_string(::getpid());
  std::string cmd = "mkdir -p " + dir + " && cd " + dir;
  RETURN_IF_ERROR(WriteFileAtomic(dir + ".ca.crt", ca.cert_pem));
  RETURN_IF_ERROR(WriteFileAtomic(dir + ".ca.key", ca.key_pem));
  cmd += " && openssl req -new -x509 -CA " + dir + ".ca.crt -CAkey " + dir +
         ".ca.key -subj /CN=admin -addext extendedKeyUsage=clientAuth -newkey ec -pkeyopt "
         "ec_paramgen_curve:P-256 -nodes -keyout k.pem -out c.pem -days 1 >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) return Internal("openssl failed: " + cmd);
  PemPair pair;
  ASSIGN_OR_RETURN(pair.cert_pem, ReadFileToString(dir + "/c.pem"));
  ASSIGN_OR_RETURN(pair.key_pem, ReadFileToString(dir + "/k.pem"));
  for (const std::string& p : {dir, dir + ".ca.crt", dir + ".ca.key"}) std::filesystem::remove_all(p);
  return pair;
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = GenerateCa("test-ca");
    ASSERT_TRUE(ca.ok());
    ca_ = *ca;
  }
  PemPair ca_;
};

TEST_F(TlsTest, VerifiesTheServerAgainstTheGivenCa) {
  FakeServer server(Echo, &ca_);
  HttpClientOptions options;
  options.tls.ca_pem = ca_.cert_pem;
  auto client = HttpClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  auto resp = (*client)->Do(Req(server.url() + "/tls"));
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->body, "GET /tls ");
}

TEST_F(TlsTest, RejectsAServerSignedByAnotherCa) {
  FakeServer server(Echo, &ca_);
  auto other = GenerateCa("other");
  HttpClientOptions options;
  options.tls.ca_pem = other->cert_pem;
  auto client = HttpClient::Create(options);
  auto resp = (*client)->Do(Req(server.url() + "/tls"));
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), Code::kUnavailable);
  EXPECT_NE(resp.status().message().find("TLS handshake"), std::string::npos)
      << resp.status().message();
}

TEST_F(TlsTest, InsecureSkipVerifyAcceptsAnyServer) {
  FakeServer server(Echo, &ca_);
  HttpClientOptions options;
  options.tls.insecure_skip_verify = true;
  auto client = HttpClient::Create(options);
  EXPECT_TRUE((*client)->Do(Req(server.url() + "/")).ok());
}

TEST_F(TlsTest, ServerNameOverrideIsVerified) {
  FakeServer server(Echo, &ca_);  // cert for 127.0.0.1 and localhost
  HttpClientOptions options;
  options.tls.ca_pem = ca_.cert_pem;
  options.tls.server_name = "localhost";
  EXPECT_TRUE((*HttpClient::Create(options))->Do(Req(server.url() + "/")).ok());
  options.tls.server_name = "api.example.com";
  EXPECT_FALSE((*HttpClient::Create(options))->Do(Req(server.url() + "/")).ok());
}

TEST_F(TlsTest, ClientCertificateIsPresentedWhenTheServerRequiresOne) {
  FakeServer server(Echo, &ca_);
  auto* ctx = static_cast<boost::asio::ssl::context*>(server.tls()->native());
  ctx->add_certificate_authority(boost::asio::buffer(ca_.cert_pem));
  ctx->set_verify_mode(boost::asio::ssl::verify_peer |
                       boost::asio::ssl::verify_fail_if_no_peer_cert);
  auto client_cert = ClientCert(ca_);
  ASSERT_TRUE(client_cert.ok()) << client_cert.status().ToString();

  HttpClientOptions without;
  without.tls.ca_pem = ca_.cert_pem;
  EXPECT_FALSE((*HttpClient::Create(without))->Do(Req(server.url() + "/")).ok());

  HttpClientOptions with = without;
  with.tls.client_cert_pem = client_cert->cert_pem;
  with.tls.client_key_pem = client_cert->key_pem;
  auto resp = (*HttpClient::Create(with))->Do(Req(server.url() + "/"));
  EXPECT_TRUE(resp.ok()) << resp.status().ToString();
}

TEST(HttpClientTest, BadTlsMaterialIsRefusedAtCreation) {
  HttpClientOptions options;
  options.tls.ca_pem = "not a pem";
  EXPECT_FALSE(HttpClient::Create(options).ok());
  HttpClientOptions half;
  half.tls.client_cert_pem = "x";
  EXPECT_EQ(HttpClient::Create(half).status().code(), Code::kInvalidArgument);
}

TEST(HttpClientStreamTest, DeliversChunksAsTheyArrive) {
  FakeServer server([](const HttpRequest&, std::shared_ptr<HttpResponder> r) {
    r->StartStream(200, {{"Content-Type", "application/json"}});
    std::thread([r] {
      for (int i = 0; i < 3; ++i) r->Write("line" + std::to_string(i) + "\n");
      r->EndStream();
    }).detach();
  });
  auto client = HttpClient::Create({});
  std::string got;
  auto resp = (*client)->Stream(Req(server.url() + "/watch"), [&](std::string_view d) {
    got.append(d);
    return true;
  });
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(got, "line0\nline1\nline2\n");
  EXPECT_TRUE(resp->body.empty());
}

TEST(HttpClientStreamTest, ErrorAnswersAreReadWhole) {
  FakeServer server([](const HttpRequest&, std::shared_ptr<HttpResponder> r) {
    r->Send(FakeServer::Json(410, R"({"kind":"Status","code":410})"));
  });
  auto client = HttpClient::Create({});
  bool called = false;
  auto resp = (*client)->Stream(Req(server.url() + "/w"), [&](std::string_view) {
    called = true;
    return true;
  });
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 410);
  EXPECT_EQ(resp->body, R"({"kind":"Status","code":410})");
  EXPECT_FALSE(called);
}

TEST(HttpClientStreamTest, CancelEndsAnOpenStream) {
  std::shared_ptr<HttpResponder> open;
  std::mutex mu;
  FakeServer server([&](const HttpRequest&, std::shared_ptr<HttpResponder> r) {
    r->StartStream(200, {});
    r->Write("first\n");
    std::lock_guard lock(mu);
    open = r;
  });
  auto client = HttpClient::Create({});
  std::atomic<bool> cancel{false};
  StreamOptions so;
  so.cancel = &cancel;
  std::string got;
  auto resp = (*client)->Stream(Req(server.url() + "/w"), [&](std::string_view d) {
    got.append(d);
    cancel = true;  // as another thread would
    return true;
  }, so);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), Code::kCancelled);
  EXPECT_EQ(got, "first\n");
  std::lock_guard lock(mu);
  open.reset();
}

TEST(HttpClientStreamTest, IdleStreamTimesOut) {
  std::shared_ptr<HttpResponder> open;
  std::mutex mu;
  FakeServer server([&](const HttpRequest&, std::shared_ptr<HttpResponder> r) {
    r->StartStream(200, {});
    std::lock_guard lock(mu);
    open = r;
  });
  auto client = HttpClient::Create({});
  StreamOptions so;
  so.idle_timeout = std::chrono::milliseconds(300);
  auto resp = (*client)->Stream(Req(server.url() + "/w"), [](std::string_view) { return true; }, so);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), Code::kDeadlineExceeded);
  std::lock_guard lock(mu);
  open.reset();
}

}  // namespace
}  // namespace gitopsd::net
