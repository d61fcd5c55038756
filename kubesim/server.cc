#include "kubesim/server.h"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <atomic>

#include "core/log.h"
#include "core/net/http_server.h"
#include "core/net/tls.h"
#include "kubesim/controllers.h"
#include "kubesim/state.h"
#include "kubesim/state_file.h"
#include "kubesim/write.h"

namespace gitopsd::kubesim {
namespace {

std::string Base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool FileExists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

// CA and serving certificate: from cert_dir when present there, else new
// (and saved to cert_dir when set).
Result<net::PemPair> TlsMaterial(const Options& o, std::string* ca_pem) {
  net::PemPair ca;
  std::string dir = o.cert_dir;
  if (!dir.empty() && FileExists(dir + "/ca.crt") && FileExists(dir + "/ca.key")) {
    ASSIGN_OR_RETURN(ca.cert_pem, net::ReadFileToString(dir + "/ca.crt"));
    ASSIGN_OR_RETURN(ca.key_pem, net::ReadFileToString(dir + "/ca.key"));
  } else {
    ASSIGN_OR_RETURN(ca, net::GenerateCa("kubesim-ca"));
    if (!dir.empty()) {
      ::mkdir(dir.c_str(), 0700);
      RETURN_IF_ERROR(net::WriteFileAtomic(dir + "/ca.crt", ca.cert_pem, 0644));
      RETURN_IF_ERROR(net::WriteFileAtomic(dir + "/ca.key", ca.key_pem, 0600));
    }
  }
  net::CertificateOptions co;
  co.common_name = "kubesim";
  co.sans = {"127.0.0.1", "localhost", "::1", "kubernetes", "kubernetes.default", "kubernetes.default.svc"};
  ASSIGN_OR_RETURN(net::PemPair serving, net::GenerateServingCert(ca, co));
  if (!dir.empty()) {
    RETURN_IF_ERROR(net::WriteFileAtomic(dir + "/tls.crt", serving.cert_pem, 0644));
    RETURN_IF_ERROR(net::WriteFileAtomic(dir + "/tls.key", serving.key_pem, 0600));
  }
  *ca_pem = ca.cert_pem;
  return serving;
}

}  // namespace

struct Server::Impl {
  ServerState state;
  std::unique_ptr<Controllers> controllers;
  std::unique_ptr<net::HttpServer> http;
  std::string scheme = "http";
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  bool started = false;
  std::atomic<bool> save_pending{false};
  std::mutex save_mu;

  void Bootstrap() {
    auto lock = state.cluster.Lock();
    const ResourceType* ns = state.cluster.FindResource("", "v1", "namespaces");
    for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
      if (state.cluster.Get(ns->StorageKey(), "", name) != nullptr) continue;
      WriteContext ctx;
      ctx.type = ns;
      ctx.version = "v1";
      ctx.manager = "kube-apiserver";
      (void)CommitCreate(state, ctx, Object{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}});
    }
  }

  void SaveNow() {
    if (state.options.state_file.empty()) return;
    std::lock_guard save_lock(save_mu);
    std::string text;
    {
      auto lock = state.cluster.Lock();
      text = SnapshotJson(state);
    }
    Status st = net::WriteFileAtomic(state.options.state_file, text, 0600);
    if (!st.ok()) log::Error("kubesim", "writing the state file failed", {{"error", st.message()}});
  }

  void OnChange() {
    if (state.options.state_file.empty() || save_pending.exchange(true)) return;
    controllers->Schedule(state.options.state_debounce_ms, [this] {
      save_pending = false;
      SaveNow();
    });
  }

  void RequeueAll() {
    for (const auto& [key, obj] : state.cluster.AllObjects()) {
      const ResourceType* t = state.cluster.FindByKey(key);
      if (t != nullptr) {
        controllers->Enqueue(key, t->info.namespaced ? GetString(*obj, "metadata.namespace") : "",
                             GetString(*obj, "metadata.name"), 0);
      }
    }
  }
};

Server::Server(Options options) : impl_(std::make_unique<Impl>()) { impl_->state.options = std::move(options); }

Server::~Server() { Stop(); }

Status Server::Start() {
  Impl& m = *impl_;
  if (m.started) return FailedPrecondition("kubesim already started");
  const Options& o = m.state.options;
  net::HttpServerOptions hopts;
  hopts.listen = o.listen;
  hopts.threads = o.threads;
  if (o.tls) {
    ASSIGN_OR_RETURN(net::PemPair serving, TlsMaterial(o, &m.state.ca_pem));
    ASSIGN_OR_RETURN(hopts.tls, net::TlsContext::FromPem(serving));
    m.scheme = "https";
  }
  m.controllers = std::make_unique<Controllers>(m.state);
  m.state.controllers = m.controllers.get();
  m.state.schedule = [c = m.controllers.get()](int ms, std::function<void()> fn) { c->Schedule(ms, std::move(fn)); };
  if (!o.state_file.empty()) {
    auto lock = m.state.cluster.Lock();
    Status st = LoadSnapshot(m.state, o.state_file);
    if (!st.ok() && st.code() != Code::kNotFound) return st.WithContext("kubesim: loading the state file");
    if (st.ok()) m.RequeueAll();
  }
  m.Bootstrap();
  {
    auto lock = m.state.cluster.Lock();
    m.state.cluster.SetChangeListener([&m](const StoredEvent&) { m.OnChange(); });
  }
  m.http = std::make_unique<net::HttpServer>(hopts, [&m](net::HttpRequest req, std::shared_ptr<net::HttpResponder> out) {
    HandleHttp(m.state, std::move(req), std::move(out));
  });
  m.state.http = m.http.get();
  RETURN_IF_ERROR(m.http->Start().WithContext("kubesim"));
  m.port = m.http->port();
  size_t colon = o.listen.rfind(':');
  std::string host = colon == std::string::npos ? "" : o.listen.substr(0, colon);
  if (host.empty() || host == "0.0.0.0" || host == "[::]") host = "127.0.0.1";
  m.host = host;
  m.state.server_address = host + ":" + std::to_string(m.port);
  m.controllers->Start();
  m.started = true;
  if (!o.kubeconfig_out.empty()) {
    RETURN_IF_ERROR(net::WriteFileAtomic(o.kubeconfig_out, Kubeconfig(), 0600).WithContext("kubesim: --kubeconfig-out"));
  }
  m.OnChange();
  log::Info("kubesim", "serving", {{"url", url()}, {"objects", static_cast<long long>(ObjectCount())}});
  return Status::Ok();
}

void Server::Stop() {
  Impl& m = *impl_;
  if (!m.started) return;
  m.started = false;
  m.http->Stop();
  m.controllers->Stop();
  {
    auto lock = m.state.cluster.Lock();
    m.state.cluster.DropAllWatchers();
    m.state.cluster.SetChangeListener(nullptr);
  }
  m.SaveNow();
  m.state.http = nullptr;
  m.http.reset();
}

uint16_t Server::port() const { return impl_->port; }

std::string Server::url() const {
  std::string host = impl_->host.find(':') != std::string::npos ? "[" + impl_->host + "]" : impl_->host;
  return impl_->scheme + "://" + host + ":" + std::to_string(impl_->port);
}

std::string Server::ca_pem() const { return impl_->state.ca_pem; }

const std::string& Server::token() const { return impl_->state.options.token; }

std::string Server::Kubeconfig() const {
  std::string token = impl_->state.options.token.empty() ? "kubesim-anonymous" : impl_->state.options.token;
  std::string cluster = "    server: " + url() + "\n";
  if (!impl_->state.ca_pem.empty()) cluster += "    certificate-authority-data: " + Base64(impl_->state.ca_pem) + "\n";
  return "apiVersion: v1\nkind: Config\nclusters:\n- name: kubesim\n  cluster:\n" + cluster +
         "contexts:\n- name: kubesim\n  context:\n    cluster: kubesim\n    user: kubesim\n    namespace: default\n"
         "current-context: kubesim\npreferences: {}\nusers:\n- name: kubesim\n  user:\n    token: " +
         token + "\n";
}

size_t Server::ObjectCount() const {
  auto lock = impl_->state.cluster.Lock();
  return impl_->state.cluster.ObjectCount();
}

}  // namespace gitopsd::kubesim
