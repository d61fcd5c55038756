// kubesim::Server: a Kubernetes API server simulator speaking the real REST
// protocol (shared/kube-api-contract.md) over HTTP(S), for tests, `gitopsd
// demo` and reliability experiments. The daemon and kubectl talk to it
// exactly as to a real cluster.
//
// A Server owns its HTTP listener, the in-memory cluster state, the fake
// workload controllers and (optionally) a durable state file. Start() binds
// (port 0 picks a free port) and returns once requests are being served;
// Stop() ends watches, flushes the state file and joins every thread.
// Create, Start and Stop from one thread; the accessors are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"

namespace gitopsd::kubesim {

struct Options {
  // host:port; port 0 = any free port (see Server::port()).
  std::string listen = "127.0.0.1:6443";
  // HTTPS with a CA and serving certificate generated at Start (or loaded
  // from cert_dir/ca.crt, ca.key when that folder has them).
  bool tls = true;
  // Where to keep ca.crt, ca.key, tls.crt, tls.key ("" = memory only).
  std::string cert_dir;
  // Bearer token every request must carry ("" = authentication disabled).
  std::string token;
  // Controller timing is divided by this (progressDeadlineSeconds too).
  double time_scale = 1.0;
  // Delay before a controller reacts to a new generation (progressing).
  int controller_delay_ms = 200;
  // Further delay until workloads report ready/available.
  int ready_delay_ms = 1000;
  // Durable JSON snapshot ("" = none); loaded at Start, written atomically
  // (temp + fsync + rename) debounce_ms after changes and at Stop.
  std::string state_file;
  int state_debounce_ms = 500;
  // Written at Start when set: a kubeconfig (server, CA data, token).
  std::string kubeconfig_out;
  // I/O threads of the HTTP listener.
  int threads = 2;
};

class Server {
 public:
  explicit Server(Options options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Status Start();
  void Stop();

  uint16_t port() const;
  // "https://127.0.0.1:<port>" (or http://).
  std::string url() const;
  // PEM of the CA that signed the serving certificate ("" without TLS).
  std::string ca_pem() const;
  const std::string& token() const;
  // A kubeconfig (YAML) for this server: certificate-authority-data, token.
  std::string Kubeconfig() const;
  size_t ObjectCount() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gitopsd::kubesim
