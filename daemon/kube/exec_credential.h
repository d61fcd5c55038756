// Exec credential plugins (client.authentication.k8s.io/v1 ExecCredential),
// as kubectl runs them: the command with its args, the kubeconfig's env
// added to ours, KUBERNETES_EXEC_INFO describing the request (and the cluster
// when provideClusterInfo), stdin closed (never interactive), stderr passed
// through. Its stdout must be an ExecCredential whose status carries a token
// and/or a client certificate and key, optionally with expirationTimestamp.
//
// ExecCredentialProvider caches the result until it expires (or forever
// when no expiry is given) and until Invalidate() (the server said 401).
// Thread-safe: concurrent Get() calls run the plugin once.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "core/status.h"
#include "daemon/kube/kubeconfig.h"

namespace gitopsd::kube {

struct Credentials {
  std::string token;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::optional<std::chrono::system_clock::time_point> expiry;
};

// Runs the plugin once and parses its ExecCredential.
Result<Credentials> RunExecPlugin(const ExecConfig& config);

// Parses an ExecCredential document (exposed for tests). `api_version` is
// the one the kubeconfig asked for; the answer must match it.
Result<Credentials> ParseExecCredential(std::string_view json, const std::string& api_version);

// "2026-11-29T10:00:00Z" (RFC 3339, optional fraction and offset).
Result<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

class ExecCredentialProvider {
 public:
  explicit ExecCredentialProvider(ExecConfig config) : config_(std::move(config)) {}

  // Cached credentials, refreshed when absent, invalidated, or expiring
  // within the next 10 seconds.
  Result<Credentials> Get();
  // Forgets the cached credentials (call after a 401).
  void Invalidate();
  // Times the plugin has run (for tests and metrics).
  int runs() const;

 private:
  const ExecConfig config_;
  mutable std::mutex mu_;
  std::optional<Credentials> cached_;
  int runs_ = 0;
};

}  // namespace gitopsd::kube
