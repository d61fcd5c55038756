// Plumbing shared by the one-shot commands (`gitopsd diff|apply|status`):
// connecting to the cluster the way kubectl would (--kubeconfig,
// --context, -n) and rendering a directory (a kustomization, or else the
// YAML/JSON manifests it holds).
#pragma once

#include <memory>
#include <string>

#include "core/object.h"
#include "core/status.h"
#include "daemon/kube/client.h"

namespace gitopsd::sync {

struct ConnectOptions {
  std::string kubeconfig;  // --kubeconfig
  std::string context;     // --context
  std::string namespace_;  // -n
};

struct Connection {
  std::unique_ptr<kube::Client> client;
  std::string namespace_;  // -n, else the context's, else "default"
};

Result<Connection> Connect(const ConnectOptions& options);

// Renders DIR: `kustomize build` when it holds a kustomization file
// (the file-system root is the enclosing git work tree, else "/"), otherwise
// every *.yaml, *.yml and *.json file in it (not recursive), in name order.
Result<ObjectList> RenderDirectory(const std::string& dir);

}  // namespace gitopsd::sync
