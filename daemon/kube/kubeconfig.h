// Kubeconfig loading as kubectl does it, producing the RestConfig a Client
// connects with.
//
// Sources, in kubectl's precedence: an explicit --kubeconfig file (must
// exist); else every file of $KUBECONFIG (':'-separated, missing files
// skipped) merged with "first file to define a thing wins" (named clusters,
// users and contexts; current-context); else ~/.kube/config; else, when no
// file exists and KUBERNETES_SERVICE_HOST/PORT are set, the in-cluster
// service-account config. Relative file references (certificate-authority,
// client-certificate, client-key, tokenFile, an exec command with a '/') are
// resolved against the directory of the file that defined them.
//
// Supported: clusters (server, certificate-authority[-data],
// insecure-skip-tls-verify, tls-server-name; proxy-url is refused with a
// clear error), users (token, tokenFile, client-certificate[-data] /
// client-key[-data], username/password, exec plugins of
// client.authentication.k8s.io/v1 and v1beta1), contexts (cluster, user,
// namespace), --context and --namespace overrides. Pure functions over files;
// thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/net/http_client.h"
#include "core/object.h"
#include "core/status.h"

namespace gitopsd::kube {

// users[].user.exec of a kubeconfig.
struct ExecConfig {
  std::string api_version;  // client.authentication.k8s.io/v1 (or v1beta1)
  std::string command;      // absolute when the kubeconfig gave a relative path with '/'
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string install_hint;
  bool provide_cluster_info = false;
  std::string interactive_mode;  // Never | IfAvailable | Always (we never prompt)
  Object cluster_info;           // spec.cluster given to the plugin when asked
};

// Everything needed to reach and authenticate to one API server.
struct RestConfig {
  std::string server;        // "https://host:port" without a trailing '/'
  std::string context_name;  // "" for in-cluster
  std::string namespace_ = "default";
  net::ClientTlsOptions tls;
  std::string bearer_token;  // static token
  std::string token_file;    // re-read on use (rotated service-account tokens)
  std::string username;      // basic auth
  std::string password;
  std::optional<ExecConfig> exec;
};

struct KubeconfigOptions {
  std::string explicit_path;       // --kubeconfig; must exist when set
  std::string context;             // --context
  std::string namespace_override;  // -n / --namespace
  // The value of $KUBECONFIG and $HOME; LoadRestConfig() fills them from
  // the environment when unset (nullopt).
  std::optional<std::string> kubeconfig_env;
  std::optional<std::string> home;
  bool allow_in_cluster = true;
};

// A merged kubeconfig: the raw named entries with file references already
// made absolute.
struct Kubeconfig {
  std::string current_context;
  std::map<std::string, Object> clusters;  // name -> cluster body
  std::map<std::string, Object> users;     // name -> user body
  std::map<std::string, Object> contexts;  // name -> context body
  std::vector<std::string> files;          // the files read, in merge order
};

// Reads and merges kubeconfig files (first definition wins). A path that
// does not exist is skipped unless `must_exist`.
Result<Kubeconfig> LoadKubeconfigFiles(const std::vector<std::string>& paths, bool must_exist);

// Picks the context (`context_override` or current-context) and builds its
// RestConfig, reading referenced files.
Result<RestConfig> BuildRestConfig(const Kubeconfig& config, const std::string& context_override,
                                   const std::string& namespace_override);

// The whole kubectl precedence described above.
Result<RestConfig> LoadRestConfig(const KubeconfigOptions& options);

struct InClusterOptions {
  std::string service_host;  // $KUBERNETES_SERVICE_HOST when empty
  std::string service_port;  // $KUBERNETES_SERVICE_PORT when empty
  std::string account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
};

// The in-cluster config: https://$HOST:$PORT, CA <dir>/ca.crt, token file
// <dir>/token, namespace from <dir>/namespace. FailedPrecondition when not
// in a pod.
Result<RestConfig> InClusterConfig(const InClusterOptions& options = {});

// Standard base64 decoding (as kubeconfig *-data fields use).
Result<std::string> Base64Decode(std::string_view text);

}  // namespace gitopsd::kube
