// Manager: the daemon's app layer. It owns the history store, the git
// mirrors, one kube client per cluster and one Controller per app, runs the
// controllers' steps on a bounded worker pool (one step per app at a time,
// apps in parallel; a slow app never stalls the others), schedules polls and
// health checks, and implements server::AppService for the HTTP layer.
//
// Lifecycle: Create() -> Start() -> (Reload()...) -> Stop(). Stop() stops
// scheduling and waits for the running steps; an operation still waiting
// for health is left Running in the history and marked Interrupted at the
// next start (then the app is reconciled again).
//
// Thread-safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "daemon/app/config.h"
#include "daemon/app/controller.h"
#include "daemon/app/history.h"
#include "daemon/app/worker_pool.h"
#include "daemon/git/repo.h"
#include "daemon/server/app_service.h"
#include "daemon/app/cluster_watch.h"
#include "daemon/app/shard.h"
#include "daemon/server/daemon_metrics.h"

namespace gitopsd::app {

struct ManagerOptions {
  server::DaemonMetrics* metrics = nullptr;  // may be null
  std::chrono::milliseconds tick{250};       // scheduler resolution
  std::chrono::milliseconds health_poll{1000};
  // Sharded mode: only the apps of the shards this replica holds are
  // refreshed and synced here (null: every app).
  const ShardElector* shards = nullptr;
};

class Manager : public server::AppService {
 public:
  static Result<std::unique_ptr<Manager>> Create(const Config& config, ManagerOptions options);
  ~Manager() override;

  void Start();
  void Stop();
  // Applies a new configuration: new apps start, removed apps stop (their
  // history is kept), changed apps take their new settings between steps.
  Status Reload(const Config& config);

  // server::AppService
  ObjectList ListApps() const override;
  Result<Object> GetApp(const std::string& name) const override;
  Result<ObjectList> History(const std::string& name) const override;
  Result<ObjectList> Resources(const std::string& name) const override;
  Result<ObjectList> Diff(const std::string& name) const override;
  Result<std::string> Refresh(const std::string& name, const std::string& initiator) override;
  Result<std::string> Sync(const std::string& name, const server::SyncRequest& request,
                           const std::string& initiator) override;
  Result<std::string> Rollback(const std::string& name, int64_t history_id,
                               const std::string& initiator) override;
  Result<std::string> ReleaseHold(const std::string& name, const std::string& initiator) override;
  std::string WebhookSecretFor(const std::vector<std::string>& repo_urls) const override;
  server::WebhookOutcome OnPush(const server::PushEvent& event) override;
  std::shared_ptr<void> Subscribe(Listener listener) override;
  bool Ready() const override;

 private:
  explicit Manager(ManagerOptions options) : options_(options) {}
  Status Configure(const Config& config);
  std::shared_ptr<Controller> Find(const std::string& name) const;
  void SchedulerLoop();
  void Schedule(const std::shared_ptr<Controller>& c);
  void OnChange(const std::string& app);
  Object WithShard(Object status) const;

 public:
  // True when an app of `shard` has a step running or an operation in
  // progress here (ShardElector::SetBusy).
  bool ShardBusy(int shard) const;

  ManagerOptions options_;
  std::unique_ptr<app::History> history_;
  std::unique_ptr<git::Mirrors> mirrors_;
  std::unique_ptr<WorkerPool> pool_;

  mutable std::mutex mu_;
  Config config_;
  std::map<std::string, std::shared_ptr<Controller>> controllers_;
  std::map<std::string, std::shared_ptr<kube::Client>> clients_;  // by cluster name
  std::map<std::string, std::string> cluster_errors_;
  std::set<std::string> running_;  // apps with a step queued or running

  std::mutex app_info_mu_;
  std::map<std::string, server::LabelValues> app_info_;  // app -> its gitopsd_app_info series

  std::mutex listeners_mu_;
  std::map<uint64_t, Listener> listeners_;
  uint64_t next_listener_ = 0;

  std::mutex sched_mu_;
  std::condition_variable sched_cv_;
  bool stopping_ = false;
  std::thread scheduler_;

  // Last: destroyed first, while what their callbacks use still exists.
  std::map<std::string, std::shared_ptr<ClusterWatch>> watches_;  // by cluster name (under mu_)
};

}  // namespace gitopsd::app
