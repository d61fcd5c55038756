// Test helpers: a kubesim::Server on a free port and a small JSON client
// for its REST API.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <atomic>
#include <filesystem>
#include <functional>
#include <set>
#include <vector>

#include "core/net/http_client.h"
#include "core/object.h"
#include "kubesim/server.h"

namespace gitopsd::kubesim::testing {

struct Reply {
  int status = 0;
  Object body;
  std::string raw;
  std::string retry_after;
};

class Api {
 public:
  Api(std::string url, std::string token, std::string ca_pem = "") : url_(std::move(url)), token_(std::move(token)) {
    net::HttpClientOptions o;
    o.tls.ca_pem = std::move(ca_pem);
    client_ = std::move(net::HttpClient::Create(o).value());
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& content_type = "application/json", const std::string& token_override = "-") {
    net::HttpClientRequest req;
    req.method = method;
    req.url = url_ + path;
    std::string tok = token_override == "-" ? token_ : token_override;
    if (!tok.empty()) req.headers.push_back({"Authorization", "Bearer " + tok});
    req.headers.push_back({"Accept", "application/json"});
    if (!body.empty()) req.headers.push_back({"Content-Type", content_type});
    req.body = body;
    auto r = client_->Do(req);
    Reply out;
    if (!r.ok()) {
      ADD_FAILURE() << method << " " << path << ": " << r.status().ToString();
      return out;
    }
    out.status = r->status;
    out.raw = r->body;
    out.retry_after = r->Header("retry-after");
    try {
      out.body = Object::parse(r->body);
    } catch (...) {
    }
    return out;
  }
  Reply Get(const std::string& p) { return Call("GET", p); }
  Reply Post(const std::string& p, const Object& o) { return Call("POST", p, o.dump()); }
  Reply Put(const std::string& p, const Object& o) { return Call("PUT", p, o.dump()); }
  Reply Patch(const std::string& p, const std::string& type, const Object& o) {
    return Call("PATCH", p, o.dump(), type);
  }
  Reply Apply(const std::string& p, const std::string& manager, const Object& o, bool force = false) {
    return Call("PATCH", p + "?fieldManager=" + manager + (force ? "&force=true" : ""), o.dump(),
                "application/apply-patch+yaml");
  }
  Reply Delete(const std::string& p, const std::string& body = "") { return Call("DELETE", p, body); }

  // Reads a watch stream until `want` lines arrived or `limit` passed.
  std::vector<Object> Watch(const std::string& path, size_t want, std::chrono::milliseconds limit,
                            const std::function<void()>& after_start = nullptr) {
    std::vector<Object> events;
    std::atomic<bool> cancel{false};
    std::string buffer;
    net::HttpClientRequest req;
    req.url = url_ + path;
    if (!token_.empty()) req.headers.push_back({"Authorization", "Bearer " + token_});
    std::thread stopper([&] {
      if (after_start) after_start();
      auto end = std::chrono::steady_clock::now() + limit;
      while (!cancel && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      cancel = true;
    });
    net::StreamOptions so;
    so.cancel = &cancel;
    auto r = client_->Stream(req, [&](std::string_view data) {
      buffer.append(data);
      size_t nl;
      while ((nl = buffer.find('\n')) != std::string::npos) {
        events.push_back(Object::parse(buffer.substr(0, nl)));
        buffer.erase(0, nl + 1);
      }
      if (events.size() >= want) cancel = true;
      return !cancel.load();
    }, so);
    cancel = true;
    stopper.join();
    return events;
  }

 private:
  std::string url_;
  std::string token_;
  std::unique_ptr<net::HttpClient> client_;
};

inline Options TestOptions() {
  Options o;
  o.listen = "127.0.0.1:0";
  o.tls = false;
  o.token = "test-token";
  o.time_scale = 50;
  o.controller_delay_ms = 100;
  o.ready_delay_ms = 500;
  return o;
}

// Polls `fn` until it returns true or `limit` passes.
inline bool Eventually(const std::function<bool()>& fn, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (fn()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return fn();
}

class KubesimTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(TestOptions()); }
  void TearDown() override {
    api_.reset();
    if (server_) server_->Stop();
  }
  void StartServer(Options o) {
    server_ = std::make_unique<Server>(o);
    ASSERT_TRUE(server_->Start().ok());
    api_ = std::make_unique<Api>(server_->url(), o.token, server_->ca_pem());
  }
  Object Namespace(const std::string& name) {
    return Object{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
  }
  Object ConfigMap(const std::string& ns, const std::string& name, Object data) {
    return Object{{"apiVersion", "v1"}, {"kind", "ConfigMap"},
                  {"metadata", {{"name", name}, {"namespace", ns}}}, {"data", std::move(data)}};
  }
  Object Deployment(const std::string& ns, const std::string& name, const std::string& image, int replicas = 2) {
    return Object::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":")" + name +
                         R"(","namespace":")" + ns + R"("},"spec":{"replicas":)" + std::to_string(replicas) +
                         R"(,"selector":{"matchLabels":{"app":")" + name +
                         R"("}},"template":{"metadata":{"labels":{"app":")" + name +
                         R"("}},"spec":{"containers":[{"name":"main","image":")" + image +
                         R"(","ports":[{"containerPort":80}]}]}}}})");
  }
  std::unique_ptr<Server> server_;
  std::unique_ptr<Api> api_;
};

}  // namespace gitopsd::kubesim::testing
