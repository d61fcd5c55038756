// `gitopsd serve --config gitopsd.yaml`: the daemon. Keeps every configured
// app equal to its env repository and serves the API, webhooks, metrics and
// the console on one listener.
//
// Signals: SIGTERM/SIGINT stop gracefully (stop taking work, let running
// steps finish); SIGHUP (or a change of the configuration file) reloads the
// configuration without dropping in-flight operations.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>

#include "core/log.h"
#include "core/net/http_server.h"
#include "core/net/tls.h"
#include "daemon/app/config.h"
#include "daemon/app/manager.h"
#include "daemon/command.h"
#include "daemon/kube/kubeconfig.h"
#include "daemon/kube/rest_client.h"
#include "daemon/sync/duration.h"
#include "daemon/server/api.h"
#include "daemon/version.h"
#include "webui/assets.h"

namespace gitopsd::cli {
namespace {

struct ServeFlags {
  std::string config;
  std::string listen;  // overrides server.listen
  // Sharding (docs/operations.md): replicas split the apps by Leases.
  int shards = 0;  // 0/1 = not sharded
  std::string shard_cluster;  // management cluster (default: the first)
  std::string shard_namespace;
  std::string lease_duration = "15s";
  std::string replica_id;
};

// The Lease holder of this replica: --replica-id, else $POD_NAME, else
// hostname-pid.
std::string ReplicaIdentity(const ServeFlags& flags) {
  if (!flags.replica_id.empty()) return flags.replica_id;
  if (const char* pod = std::getenv("POD_NAME"); pod != nullptr && *pod != 0) return pod;
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

Result<std::unique_ptr<app::ShardElector>> StartSharding(const ServeFlags& flags, const app::Config& config) {
  const app::ClusterConfig* cluster = nullptr;
  for (const auto& c : config.clusters) {
    if (flags.shard_cluster.empty() || c.name == flags.shard_cluster) {
      cluster = &c;
      break;
    }
  }
  if (cluster == nullptr) {
    return InvalidArgument("--shard-cluster: no cluster named \"" + flags.shard_cluster + "\" in the configuration");
  }
  kube::KubeconfigOptions kopts;
  kopts.explicit_path = cluster->kubeconfig;
  kopts.context = cluster->context;
  kopts.allow_in_cluster = false;
  auto rest = cluster->in_cluster() ? kube::InClusterConfig() : kube::LoadRestConfig(kopts);
  if (!rest.ok()) return rest.status().WithContext("sharding: cluster " + cluster->name);
  std::string ns = flags.shard_namespace;
  if (ns.empty()) {
    const char* pod_ns = std::getenv("POD_NAMESPACE");
    ns = pod_ns != nullptr && *pod_ns != 0 ? pod_ns : "default";
  }
  ASSIGN_OR_RETURN(auto client, kube::NewRestClient(std::move(*rest)));
  ASSIGN_OR_RETURN(auto duration, sync::ParseDuration(flags.lease_duration));
  if (duration < std::chrono::seconds(2)) return InvalidArgument("--lease-duration must be at least 2s");
  app::ShardOptions so;
  so.shards = flags.shards;
  so.namespace_ = ns;
  so.identity = ReplicaIdentity(flags);
  so.lease_duration = duration;
  auto elector = std::make_unique<app::ShardElector>(std::shared_ptr<kube::Client>(std::move(client)), so);
  log::Info("shard", "sharding", {{"shards", std::to_string(so.shards)}, {"identity", so.identity},
                                  {"namespace", ns}, {"cluster", cluster->name}});
  return elector;
}

std::vector<server::User> UsersOf(const app::Config& config) {
  std::vector<server::User> users;
  for (const auto& u : config.auth.users) {
    auto role = server::ParseRole(u.role);
    server::Role r = role.ok() ? *role : server::Role::kViewer;
    if (!u.token.empty()) users.push_back({u.name, r, u.token});
    if (!u.password.empty()) users.push_back({u.name, r, u.password});
  }
  return users;
}

server::AuthOptions AuthOptionsOf(const app::Config& config) {
  server::AuthOptions o;
  auto anon = server::ParseRole(config.auth.anonymous);
  o.anonymous_role = anon.ok() ? *anon : server::Role::kNone;
  return o;
}

// Serves the embedded console: index.html revalidated on every load, the
// content-hashed assets cached for a year.
bool ServeAsset(const net::HttpRequest& req, net::HttpResponse* out) {
  const webui::Asset* a = webui::FindAsset(req.path);
  if (!a) return false;
  out->status = 200;
  out->body = std::string(a->body);
  out->SetHeader("Content-Type", std::string(a->content_type));
  out->SetHeader("Cache-Control", a->name == "index.html" ? "no-cache"
                                                          : "public, max-age=31536000, immutable");
  return true;
}

int64_t MTime(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                                            st.st_mtim.tv_nsec
                                      : 0;
}

int Serve(const ServeFlags& flags) {
  // Block the signals we handle before any thread starts, then wait for
  // them synchronously here.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto config = app::LoadConfig(flags.config);
  if (!config.ok()) {
    std::cerr << "gitopsd serve: " << config.status().message() << "\n";
    return 2;
  }
  if (!flags.listen.empty()) config->server.listen = flags.listen;
  log::Options lopts;
  if (auto level = log::ParseLevel(config->server.log_level); level.ok()) lopts.level = *level;
  lopts.format = config->server.log_format == "json"   ? log::Format::kJson
                 : config->server.log_format == "text" ? log::Format::kText
                                                       : log::Format::kAuto;
  log::Init(lopts);

  server::Registry registry;
  server::DaemonMetrics metrics(registry);
  std::unique_ptr<app::ShardElector> shards;
  if (flags.shards > 1) {
    auto elector = StartSharding(flags, *config);
    if (!elector.ok()) {
      std::cerr << "gitopsd serve: " << elector.status().message() << "\n";
      return 2;
    }
    shards = std::move(*elector);
  }
  auto manager = app::Manager::Create(*config, {.metrics = &metrics, .shards = shards.get()});
  if (!manager.ok()) {
    std::cerr << "gitopsd serve: " << manager.status().message() << "\n";
    return 1;
  }
  if (shards) {
    shards->SetBusy([m = manager->get()](int shard) { return m->ShardBusy(shard); });
    shards->Start();
  }
  server::Authenticator auth(UsersOf(*config), AuthOptionsOf(*config));
  std::shared_ptr<net::TlsContext> tls;
  if (!config->server.tls_cert_file.empty()) {
    auto ctx = net::TlsContext::FromFiles(config->server.tls_cert_file, config->server.tls_key_file);
    if (!ctx.ok()) {
      std::cerr << "gitopsd serve: TLS: " << ctx.status().message() << "\n";
      return 2;
    }
    tls = *ctx;
  }
  server::ApiOptions aopts;
  aopts.tls = tls != nullptr;
  aopts.allow_unsigned_webhooks = config->webhooks.allow_unsigned;
  server::ApiServer api(**manager, auth, registry, metrics, aopts, ServeAsset);
  net::HttpServerOptions hopts;
  hopts.listen = config->server.listen;
  hopts.tls = tls;
  net::HttpServer http(hopts, [&api](net::HttpRequest req, std::shared_ptr<net::HttpResponder> r) {
    api.Handle(std::move(req), std::move(r));
  });
  if (Status s = http.Start(); !s.ok()) {
    std::cerr << "gitopsd serve: listening on " << config->server.listen << ": " << s.message() << "\n";
    return 1;
  }
  (*manager)->Start();
  std::string scheme = tls ? "https" : "http";
  log::Info("serve", "gitopsd started",
            {{"version", kVersion}, {"listen", config->server.listen},
             {"port", std::to_string(http.port())}, {"apps", std::to_string(config->apps.size())},
             {"console", scheme + "://" + config->server.listen.substr(0, config->server.listen.rfind(':')) +
                             ":" + std::to_string(http.port()) + "/"}});

  int64_t seen_mtime = MTime(flags.config);
  auto reload = [&](const char* why) {
    auto fresh = app::LoadConfig(flags.config);
    if (!fresh.ok()) {
      log::Error("serve", "configuration not reloaded", {{"why", why}, {"error", fresh.status().message()}});
      return;
    }
    if (!flags.listen.empty()) fresh->server.listen = flags.listen;
    auth.SetUsers(UsersOf(*fresh), AuthOptionsOf(*fresh));
    Status s = (*manager)->Reload(*fresh);
    if (!s.ok()) log::Error("serve", "configuration not reloaded", {{"error", s.message()}});
  };
  while (true) {
    timespec timeout{2, 0};
    int sig = sigtimedwait(&set, nullptr, &timeout);
    if (sig == SIGHUP) {
      reload("SIGHUP");
      seen_mtime = MTime(flags.config);
    } else if (sig == SIGTERM || sig == SIGINT) {
      log::Info("serve", "shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
      break;
    } else {
      int64_t m = MTime(flags.config);
      if (m != 0 && m != seen_mtime) {
        seen_mtime = m;
        reload("configuration file changed");
      }
    }
  }
  api.CloseStreams();
  (*manager)->Stop();
  if (shards) shards->Stop();  // hands the shards over at once
  http.Stop();
  log::Info("serve", "stopped");
  return 0;
}

void RegisterServe(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  auto* cmd = app.add_subcommand("serve", "Run the daemon: sync apps, serve the API, webhooks and console");
  cmd->add_option("--config,-c", flags->config, "Configuration file (YAML)")->required();
  cmd->add_option("--listen", flags->listen, "Override server.listen (host:port)");
  cmd->add_option("--shards", flags->shards,
                  "Split the apps into N shards shared by the replicas through Leases (0 = no sharding)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--shard-cluster", flags->shard_cluster,
                  "Cluster (from the configuration) holding the shard Leases (default: the first)");
  cmd->add_option("--shard-namespace", flags->shard_namespace,
                  "Namespace of the shard Leases (default: $POD_NAMESPACE, else default)");
  cmd->add_option("--lease-duration", flags->lease_duration, "Shard lease duration")->capture_default_str();
  cmd->add_option("--replica-id", flags->replica_id, "This replica's lease identity (default: $POD_NAME, else host-pid)");
  cmd->callback([flags] { throw CommandExit{Serve(*flags)}; });
}

GITOPSD_COMMAND(40, RegisterServe);

}  // namespace
}  // namespace gitopsd::cli
