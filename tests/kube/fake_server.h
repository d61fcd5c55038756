// A scripted HTTP(S) server for the kube client's tests: core/net's
// HttpServer with a per-test handler that records every request.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/net/http_server.h"
#include "core/net/tls.h"

namespace gitopsd::testing {

class FakeServer {
 public:
  using Handler = std::function<void(const net::HttpRequest&, std::shared_ptr<net::HttpResponder>)>;

  // tls: serve HTTPS with a serving certificate for 127.0.0.1 from `ca`.
  explicit FakeServer(Handler handler, const net::PemPair* ca = nullptr) : handler_(std::move(handler)) {
    net::HttpServerOptions options;
    if (ca != nullptr) {
      auto serving = net::GenerateServingCert(*ca, {});
      EXPECT_TRUE(serving.ok()) << serving.status().ToString();
      auto ctx = net::TlsContext::FromPem(*serving);
      EXPECT_TRUE(ctx.ok()) << ctx.status().ToString();
      tls_ = *ctx;
      options.tls = tls_;
    }
    server_ = std::make_unique<net::HttpServer>(
        options, [this](net::HttpRequest req, std::shared_ptr<net::HttpResponder> r) {
          {
            std::lock_guard lock(mu_);
            requests_.push_back(req);
          }
          handler_(req, std::move(r));
        });
    Status st = server_->Start();
    EXPECT_TRUE(st.ok()) << st.ToString();
  }

  std::string url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(server_->port());
  }
  std::vector<net::HttpRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  net::TlsContext* tls() const { return tls_.get(); }
  net::HttpServer& server() { return *server_; }

  static net::HttpResponse Json(int status, const std::string& body) {
    net::HttpResponse r;
    r.status = status;
    r.body = body;
    r.SetHeader("Content-Type", "application/json");
    return r;
  }

 private:
  Handler handler_;
  std::shared_ptr<net::TlsContext> tls_;
  std::unique_ptr<net::HttpServer> server_;
  mutable std::mutex mu_;
  std::vector<net::HttpRequest> requests_;
};

}  // namespace gitopsd::testing
