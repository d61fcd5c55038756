// The gitopsd configuration file (`gitopsd serve --config gitopsd.yaml`):
// schema, defaults, loading and validation. docs/configuration.md documents
// every field; deploy/gitopsd.example.yaml is a commented example.
//
// LoadConfig reads the YAML, rejects unknown keys (naming the key, its line,
// and the closest known key), applies the defaults below, resolves relative
// paths against the configuration file's directory, reads the secret files
// (tokens, passwords, webhook secrets) and validates the whole: unique
// names, apps referencing configured repositories and clusters, roles,
// durations, files that exist. Every problem is reported, one per line, in a
// single InvalidArgument: "gitopsd.yaml: line 12: apps[0]: unknown key
// \"autosync\" (did you mean \"autoSync\"?)".
//
// A Config is a plain value: copy it, compare it, hand it to another thread.
// LoadConfig is thread-safe (it only reads files).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/status.h"
#include "daemon/git/repo.h"

namespace gitopsd::app {

using Duration = std::chrono::milliseconds;

// Every default, in one place (docs/configuration.md quotes these).
namespace defaults {
inline constexpr std::string_view kListen = "127.0.0.1:8080";
inline constexpr std::string_view kStateDir = "./state";   // relative to the config file
inline constexpr std::string_view kCacheSubdir = "git";     // mirrors: <stateDir>/git
inline constexpr int kWorkers = 4;
inline constexpr std::string_view kLogLevel = "info";
inline constexpr std::string_view kLogFormat = "auto";
inline constexpr std::string_view kAnonymousRole = "viewer";
inline constexpr Duration kPollInterval = std::chrono::minutes(3);
inline constexpr Duration kMinPollInterval = std::chrono::seconds(1);
inline constexpr std::string_view kRevision = "HEAD";
inline constexpr std::string_view kPath = ".";
inline constexpr Duration kHealthTimeout = std::chrono::minutes(5);
inline constexpr int kMaxPrune = 20;
}  // namespace defaults

struct ServerConfig {
  std::string listen{defaults::kListen};  // host:port of the HTTP listener
  std::string state_dir;                  // absolute; holds gitopsd.db
  std::string cache_dir;                  // absolute; git mirrors
  int workers = defaults::kWorkers;       // worker threads for git/render/kube work
  std::string log_level{defaults::kLogLevel};    // debug | info | warn | error
  std::string log_format{defaults::kLogFormat};  // auto | json | text
  std::string tls_cert_file;  // both set: the listener speaks HTTPS
  std::string tls_key_file;
};

struct UserConfig {
  std::string name;
  std::string role;           // viewer | operator | admin
  std::string token_file;     // API bearer token (file content, trimmed)
  std::string token;
  std::string password_file;  // console login password (optional)
  std::string password;
};

struct AuthConfig {
  std::string anonymous{defaults::kAnonymousRole};  // none | viewer
  std::vector<UserConfig> users;
};

struct WebhookConfig {
  std::string secret_file;  // shared secret for every repository without its own
  std::string secret;
  bool allow_unsigned = false;
};

struct ClusterConfig {
  std::string name;
  std::string kubeconfig;  // absolute; empty = in-cluster service account
  std::string context;     // empty = the kubeconfig's current context
  int qps = 50;            // requests a second to this cluster's API server (0 = unlimited)
  int burst = 100;         // requests allowed at once above qps
  bool in_cluster() const { return kubeconfig.empty(); }
};

struct RepositoryConfig {
  std::string url;
  Duration poll_interval = defaults::kPollInterval;
  std::string username;
  std::string password_file;  // password or access token
  std::string password;
  std::string ssh_key_file;
  std::string ssh_key_passphrase_file;
  std::string ssh_key_passphrase;
  std::string known_hosts_file;
  std::string ca_file;
  std::string webhook_secret_file;  // overrides webhooks.secretFile for this repo
  std::string webhook_secret;

  // The git layer's view of it; mirrors go below cache_dir.
  git::RepoOptions ToRepoOptions(const std::string& cache_dir) const;
};

struct AppConfig {
  std::string name;
  std::string repo;          // a repositories[].url (any spelling of it)
  std::string path{defaults::kPath};  // directory of the kustomization, cleaned
  std::string revision{defaults::kRevision};
  std::string cluster;       // a clusters[].name (defaulted when only one exists)
  std::string namespace_;    // "" = objects keep their own namespaces
  bool auto_sync = false;
  bool prune = false;
  bool self_heal = false;
  bool auto_rollback = false;
  Duration health_timeout = defaults::kHealthTimeout;
  int max_prune = defaults::kMaxPrune;
  // Argo CD-style rules: {group, kind, name, namespace, jsonPointers: [..],
  // managedFieldsManagers: [..]}; kind is required.
  ObjectList ignore_differences;
};

struct Config {
  std::string source;  // absolute path of the file it was loaded from
  ServerConfig server;
  AuthConfig auth;
  WebhookConfig webhooks;
  std::vector<ClusterConfig> clusters;
  std::vector<RepositoryConfig> repositories;
  std::vector<AppConfig> apps;

  // The repository an app uses (matched by NormalizeRepoUrl); nullptr if none.
  const RepositoryConfig* RepositoryOf(const AppConfig& app) const;
  const ClusterConfig* ClusterOf(const AppConfig& app) const;
  const AppConfig* FindApp(std::string_view name) const;
};

// Loads, resolves and validates a configuration file.
Result<Config> LoadConfig(const std::string& path);

// The same from text; `path` names the file in errors and its directory
// anchors relative paths.
Result<Config> ParseConfig(std::string_view text, const std::string& path);

// "90s", "2m", "1h30m", "500ms", "1.5h" -> milliseconds. A bare number is
// refused (the unit is required); InvalidArgument naming the text.
Result<Duration> ParseDuration(std::string_view text);

// "2m30s"-style rendering of a duration (for status pages and docs).
std::string FormatDuration(Duration d);

// Levenshtein distance, case-insensitive (for "did you mean").
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace gitopsd::app
