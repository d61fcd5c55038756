#include "daemon/app/manager.h"

#include "core/log.h"
#include "daemon/git/url.h"
#include "daemon/kube/kubeconfig.h"
#include "daemon/kube/rest_client.h"

namespace gitopsd::app {
namespace {

using Clock = std::chrono::steady_clock;

Result<std::shared_ptr<kube::Client>> ConnectCluster(const ClusterConfig& c, server::DaemonMetrics* metrics) {
  kube::KubeconfigOptions kopts;
  kopts.explicit_path = c.kubeconfig;
  kopts.context = c.context;
  kopts.allow_in_cluster = false;
  Result<kube::RestConfig> rest = c.in_cluster() ? kube::InClusterConfig() : kube::LoadRestConfig(kopts);
  if (!rest.ok()) return rest.status();
  kube::ClientOptions copts;
  copts.qps = c.qps;
  copts.burst = c.burst;
  if (metrics != nullptr) {
    copts.on_response = [metrics, cluster = c.name](std::string_view verb, int status) {
      metrics->kube_requests.Inc({cluster, std::string(verb), status == 0 ? "error" : std::to_string(status)});
    };
  }
  ASSIGN_OR_RETURN(auto client, kube::NewRestClient(std::move(*rest), std::move(copts)));
  return std::shared_ptr<kube::Client>(std::move(client));
}

bool RevisionMatches(const std::string& app_revision, const server::PushEvent& e) {
  if (app_revision.empty() || app_revision == "HEAD") return !e.is_tag;
  return app_revision == e.revision || app_revision == e.ref;
}

}  // namespace

Result<std::unique_ptr<Manager>> Manager::Create(const Config& config, ManagerOptions options) {
  std::unique_ptr<Manager> m(new Manager(options));
  HistoryOptions hopts;
  hopts.path = config.server.state_dir + "/gitopsd.db";
  ASSIGN_OR_RETURN(m->history_, app::History::Open(hopts));
  auto interrupted = m->history_->MarkInterrupted(
      "gitopsd stopped while this operation was running; the app is reconciled again");
  if (interrupted.ok()) {
    for (const auto& op : *interrupted) {
      log::Warn("app", "operation interrupted by a restart",
                {{"app", op.app}, {"op", std::to_string(op.id)}});
    }
  }
  m->mirrors_ = std::make_unique<git::Mirrors>(config.server.cache_dir);
  RETURN_IF_ERROR(m->Configure(config));
  return m;
}

Manager::~Manager() { Stop(); }

Status Manager::Configure(const Config& config) {
  // Clusters: connect once per cluster; a cluster that cannot be reached at
  // all (bad kubeconfig) makes its apps show the error, not the daemon fail.
  std::map<std::string, std::shared_ptr<kube::Client>> clients;
  std::map<std::string, std::shared_ptr<ClusterWatch>> watches;
  std::map<std::string, std::string> errors;
  for (const auto& c : config.clusters) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = clients_.find(c.name);
      bool same = false;
      for (const auto& old : config_.clusters) {
        same = same || (old.name == c.name && old.kubeconfig == c.kubeconfig && old.context == c.context &&
                        old.qps == c.qps && old.burst == c.burst);
      }
      if (it != clients_.end() && same) {
        clients[c.name] = it->second;
        auto wit = watches_.find(c.name);
        if (wit != watches_.end()) watches[c.name] = wit->second;
        continue;
      }
    }
    auto client = ConnectCluster(c, options_.metrics);
    if (client.ok()) {
      clients[c.name] = *client;
      watches[c.name] = std::make_shared<ClusterWatch>(
          *client, c.name, [this](const std::string& app, const std::string& what) {
            if (auto ctl = Find(app)) ctl->RequestRefreshSoon("cluster change: " + what);
          });
    } else {
      errors[c.name] = client.status().message();
      log::Error("app", "cluster unusable", {{"cluster", c.name}, {"error", client.status().message()}});
    }
  }
  std::map<std::string, std::shared_ptr<Controller>> controllers;
  for (const auto& a : config.apps) {
    const RepositoryConfig* repo_cfg = config.RepositoryOf(a);
    if (!repo_cfg) return InvalidArgument("app \"" + a.name + "\": unknown repository " + a.repo);
    ASSIGN_OR_RETURN(auto repo, mirrors_->Get(repo_cfg->ToRepoOptions(config.server.cache_dir)));
    ControllerDeps deps;
    deps.history = history_.get();
    deps.repo = repo;
    auto cit = clients.find(a.cluster);
    if (cit != clients.end()) {
      deps.client = cit->second;
      deps.watch = watches[a.cluster];
    } else {
      auto eit = errors.find(a.cluster);
      deps.cluster_error = eit != errors.end() ? eit->second : "no cluster named \"" + a.cluster + "\"";
    }
    deps.metrics = options_.metrics;
    deps.on_change = [this](const std::string& app) { OnChange(app); };
    deps.health_poll = options_.health_poll;
    deps.poll_interval = repo_cfg->poll_interval;
    std::shared_ptr<Controller> existing;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = controllers_.find(a.name);
      if (it != controllers_.end()) existing = it->second;
    }
    if (existing) {
      // Possibly another repository, cluster (or reconnected client) or
      // interval: the running controller takes them at its next step.
      existing->UpdateConfig(a, std::move(deps));
      controllers[a.name] = existing;
      continue;
    }
    auto state = history_->LoadAppState(a.name);
    controllers[a.name] = std::make_shared<Controller>(a, std::move(deps),
                                                       state.ok() ? *state : AppState{});
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    config_ = config;
    clients_ = std::move(clients);
    cluster_errors_ = std::move(errors);
    controllers_ = std::move(controllers);
    watches_.swap(watches);
  }
  watches.clear();  // watches of clusters gone from the config stop here, outside mu_
  if (options_.metrics) {  // apps gone from the configuration leave gitopsd_app_info
    std::lock_guard<std::mutex> lock(app_info_mu_);
    for (auto it = app_info_.begin(); it != app_info_.end();) {
      if (config.FindApp(it->first) == nullptr) {
        options_.metrics->app_info.Remove(it->second);
        it = app_info_.erase(it);
      } else {
        ++it;
      }
    }
  }
  return Status::Ok();
}

Status Manager::Reload(const Config& config) {
  RETURN_IF_ERROR(Configure(config));
  log::Info("app", "configuration reloaded", {{"apps", std::to_string(config.apps.size())}});
  std::lock_guard<std::mutex> lock(sched_mu_);
  sched_cv_.notify_all();
  return Status::Ok();
}

void Manager::Start() {
  int workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers = config_.server.workers;
  }
  pool_ = std::make_unique<WorkerPool>(workers);
  scheduler_ = std::thread([this] { SchedulerLoop(); });
}

void Manager::Stop() {
  {
    std::lock_guard<std::mutex> lock(sched_mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  sched_cv_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  if (pool_) pool_->Stop();  // lets running steps finish
  std::map<std::string, std::shared_ptr<ClusterWatch>> watches;
  {
    std::lock_guard<std::mutex> lock(mu_);
    watches.swap(watches_);
  }
  watches.clear();  // stops the watch threads
}

void Manager::SchedulerLoop() {
  std::unique_lock<std::mutex> lock(sched_mu_);
  while (!stopping_) {
    lock.unlock();
    std::vector<std::shared_ptr<Controller>> all;
    {
      std::lock_guard<std::mutex> l(mu_);
      for (const auto& [name, c] : controllers_) {
        if (!running_.count(name)) all.push_back(c);
      }
    }
    auto now = Clock::now();
    for (const auto& c : all) {
      if (options_.shards != nullptr && !options_.shards->OwnsApp(c->name())) continue;
      if (c->HasWork(now)) Schedule(c);
    }
    lock.lock();
    sched_cv_.wait_for(lock, options_.tick);
  }
}

void Manager::Schedule(const std::shared_ptr<Controller>& c) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (running_.count(c->name())) return;
    running_.insert(c->name());
  }
  bool posted = pool_ && pool_->Post([this, c] {
    c->Step();
    {
      std::lock_guard<std::mutex> lock(mu_);
      running_.erase(c->name());
    }
    if (c->HasWork(Clock::now())) Schedule(c);
  });
  if (!posted) {
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(c->name());
  }
}

std::shared_ptr<Controller> Manager::Find(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = controllers_.find(name);
  return it == controllers_.end() ? nullptr : it->second;
}

void Manager::OnChange(const std::string& app) {
  auto c = Find(app);
  if (!c) return;
  Object status = c->StatusJson();
  if (options_.metrics) {
    // One series per app: replace only this app's (O(1) per change, not
    // O(apps): with a thousand apps every refresh publishes a change).
    server::LabelValues labels = {status.value("name", ""), status.value("cluster", ""),
                                  status.value("namespace", ""), status.value("repo", ""),
                                  status["sync"].value("status", ""), status["health"].value("status", ""),
                                  status.value("autoSync", false) ? "true" : "false"};
    std::lock_guard<std::mutex> lock(app_info_mu_);
    auto& old = app_info_[app];
    if (old != labels) {
      if (!old.empty()) options_.metrics->app_info.Remove(old);
      options_.metrics->app_info.Set(labels, 1);
      old = std::move(labels);
    }
  }
  std::vector<Listener> ls;
  {
    std::lock_guard<std::mutex> lock(listeners_mu_);
    for (const auto& [id, l] : listeners_) ls.push_back(l);
  }
  for (const auto& l : ls) l(status);
}

ObjectList Manager::ListApps() const {
  std::vector<std::shared_ptr<Controller>> cs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [n, c] : controllers_) cs.push_back(c);
  }
  ObjectList out;
  out.reserve(cs.size());
  for (const auto& c : cs) out.push_back(WithShard(c->StatusJson()));
  return out;
}

bool Manager::ShardBusy(int shard) const {
  if (options_.shards == nullptr) return false;
  std::vector<std::shared_ptr<Controller>> cs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [name, c] : controllers_) {
      if (ShardOf(name, options_.shards->shards()) != shard) continue;
      if (running_.count(name)) return true;
      cs.push_back(c);
    }
  }
  for (const auto& c : cs) {
    if (c->Busy()) return true;
  }
  return false;
}

Object Manager::WithShard(Object status) const {
  if (options_.shards == nullptr) return status;
  std::string name = status.value("name", "");
  int shard = ShardOf(name, options_.shards->shards());
  auto holders = options_.shards->Holders();
  status["shard"] = {{"index", shard}, {"holder", holders[shard]}, {"here", options_.shards->Owns(shard)}};
  return status;
}

#define GITOPSD_FIND_APP(name)                                         \
  auto c = Find(name);                                                 \
  if (!c) return NotFound("no app named \"" + (name) + "\"")

// Actions go to the replica that holds the app's shard.
#define GITOPSD_FIND_OWNED_APP(name)                                                        \
  GITOPSD_FIND_APP(name);                                                                   \
  if (options_.shards != nullptr && !options_.shards->OwnsApp(name)) {                      \
    int shard = ShardOf(name, options_.shards->shards());                                   \
    auto holders = options_.shards->Holders();                                              \
    return Unavailable("app \"" + (name) + "\" is in shard " + std::to_string(shard) +       \
                       ", served by replica \"" + holders[shard] + "\", not this one");      \
  }

Result<Object> Manager::GetApp(const std::string& name) const {
  GITOPSD_FIND_APP(name);
  return WithShard(c->StatusJson());
}

Result<ObjectList> Manager::History(const std::string& name) const {
  GITOPSD_FIND_APP(name);
  return c->HistoryJson();
}

Result<ObjectList> Manager::Resources(const std::string& name) const {
  GITOPSD_FIND_APP(name);
  return c->ResourcesJson();
}

Result<ObjectList> Manager::Diff(const std::string& name) const {
  GITOPSD_FIND_APP(name);
  return c->DiffJson();
}

Result<std::string> Manager::Refresh(const std::string& name, const std::string& initiator) {
  GITOPSD_FIND_OWNED_APP(name);
  c->RequestRefresh("refresh by " + (initiator.empty() ? std::string("anonymous") : initiator));
  Schedule(c);
  return std::string("refresh-" + name);
}

Result<std::string> Manager::Sync(const std::string& name, const server::SyncRequest& request,
                                  const std::string& initiator) {
  GITOPSD_FIND_OWNED_APP(name);
  auto id = c->RequestSync(request, initiator);
  if (id.ok()) Schedule(c);
  return id;
}

Result<std::string> Manager::Rollback(const std::string& name, int64_t history_id,
                                      const std::string& initiator) {
  GITOPSD_FIND_OWNED_APP(name);
  auto id = c->RequestRollback(history_id, initiator);
  if (id.ok()) Schedule(c);
  return id;
}

Result<std::string> Manager::ReleaseHold(const std::string& name, const std::string& initiator) {
  GITOPSD_FIND_OWNED_APP(name);
  auto id = c->RequestReleaseHold(initiator);
  if (id.ok()) Schedule(c);
  return id;
}

#undef GITOPSD_FIND_APP

std::string Manager::WebhookSecretFor(const std::vector<std::string>& repo_urls) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& url : repo_urls) {
    std::string n = git::NormalizeRepoUrl(url);
    for (const auto& r : config_.repositories) {
      if (git::NormalizeRepoUrl(r.url) == n && !r.webhook_secret.empty()) return r.webhook_secret;
    }
  }
  return config_.webhooks.secret;
}

server::WebhookOutcome Manager::OnPush(const server::PushEvent& event) {
  server::WebhookOutcome out;
  std::set<std::string> urls;
  for (const auto& u : event.repo_urls) urls.insert(git::NormalizeRepoUrl(u));
  std::map<std::string, std::vector<std::shared_ptr<Controller>>> by_repo;
  std::map<std::string, RepositoryConfig> repos;
  std::string cache_dir;
  {
    std::lock_guard<std::mutex> lock(mu_);
    cache_dir = config_.server.cache_dir;
    for (const auto& a : config_.apps) {
      const RepositoryConfig* r = config_.RepositoryOf(a);
      if (!r || !urls.count(git::NormalizeRepoUrl(r->url))) continue;
      if (!RevisionMatches(a.revision, event)) continue;
      auto it = controllers_.find(a.name);
      if (it == controllers_.end()) continue;
      if (it->second->PushConcerns(event)) {
        by_repo[r->url].push_back(it->second);
        repos[r->url] = *r;
        out.refreshed.push_back(a.name);
      } else {
        out.skipped.push_back(a.name);
      }
    }
  }
  // Fetch each repository once, off the I/O thread, then refresh its apps.
  for (auto& [url, cs] : by_repo) {
    auto repo = mirrors_->Get(repos[url].ToRepoOptions(cache_dir));
    if (!repo.ok() || !pool_) continue;
    pool_->Post([this, r = *repo, cs] {
      Status s = r->Fetch();
      if (!s.ok()) log::Warn("git", "fetch after webhook failed", {{"repo", r->url()}, {"error", s.message()}});
      for (const auto& c : cs) {
        c->RequestRefresh("webhook");
        Schedule(c);
      }
    });
  }
  return out;
}

std::shared_ptr<void> Manager::Subscribe(Listener listener) {
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(listeners_mu_);
    id = next_listener_++;
    listeners_[id] = std::move(listener);
  }
  return std::shared_ptr<void>(nullptr, [this, id](void*) {
    std::lock_guard<std::mutex> lock(listeners_mu_);
    listeners_.erase(id);
  });
}

bool Manager::Ready() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [n, c] : controllers_) {
    if (!c->Initialized()) return false;
  }
  return true;
}

}  // namespace gitopsd::app
