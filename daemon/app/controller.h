// Controller: one application's reconcile loop and sync operations.
//
// A controller owns its app's state; everything it does runs in Step(),
// which the Manager calls on a worker thread, never twice at once for one
// app (one operation per app at a time; apps run in parallel). Requests
// (poll, webhook, console actions) only set flags under the mutex and are
// coalesced: a refresh asked for while a step runs is done right after it,
// never lost.
//
// A sync operation is a step machine, so that waiting for health never
// holds a worker thread:
//   kApply      resolve + render the revision, server-side apply in order,
//               prune (with guards) -> kWaitHealth (or done for a dry run)
//   kWaitHealth re-checked every health_poll until every applied object is
//               Healthy (Succeeded), one is Degraded or healthTimeout passes
//               (Failed -> automatic rollback when the app has autoRollback)
// Every transition is written to the history (SQLite) before it is
// published; an operation cut short by a crash is marked Interrupted at the
// next start and the app is reconciled again.
//
// Thread-safety: the request methods and the read methods (StatusJson,
// ResourcesJson, DiffJson) may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/object.h"
#include "core/status.h"
#include "daemon/app/cluster_watch.h"
#include "daemon/app/config.h"
#include "daemon/app/history.h"
#include "daemon/git/repo.h"
#include "daemon/kube/client.h"
#include "daemon/server/app_service.h"
#include "daemon/server/daemon_metrics.h"
#include "diff/diff.h"
#include "diff/health.h"

namespace gitopsd::app {

// The short form of a commit id used in messages and logs.
inline std::string ShortSha(const std::string& sha) { return sha.substr(0, 7); }

// What a controller shares with the rest of the daemon (owned by Manager).
struct ControllerDeps {
  History* history = nullptr;
  std::shared_ptr<git::Repo> repo;
  std::shared_ptr<kube::Client> client;  // null when the cluster is unusable
  std::shared_ptr<ClusterWatch> watch;   // the cluster's watches (null in tests without one)
  std::string cluster_error;             // why client is null
  server::DaemonMetrics* metrics = nullptr;
  // Called (without any controller lock held) after every visible change.
  std::function<void(const std::string& app)> on_change;
  std::chrono::milliseconds health_poll{1000};
  // The repository's poll interval (jitter is added per app).
  std::chrono::milliseconds poll_interval{std::chrono::minutes(3)};
};

// The API form of a history entry.
Object OperationJson(const Operation& op);

class Controller {
 public:
  Controller(AppConfig config, ControllerDeps deps, AppState persisted);

  const std::string& name() const { return config_.name; }
  AppConfig config() const;
  // Configuration reload. The settings take effect at the next step; the
  // dependencies (repository mirror, cluster client, poll interval) are
  // swapped in at its start, so a step never sees them change under it.
  void UpdateConfig(AppConfig config, ControllerDeps deps);

  // ---- requests (any thread; cheap) ----
  void RequestRefresh(const std::string& reason);
  // A refresh after `delay`, coalescing bursts (a rollout writes status many
  // times a second): what the cluster watch asks for.
  void RequestRefreshSoon(const std::string& reason,
                          std::chrono::milliseconds delay = std::chrono::milliseconds(1000));
  Result<std::string> RequestSync(const server::SyncRequest& request, const std::string& initiator);
  Result<std::string> RequestRollback(int64_t history_id, const std::string& initiator);
  Result<std::string> RequestReleaseHold(const std::string& initiator);
  // The webhook path: whether a push (already matched to this app's
  // repository and revision) can change this app. With a file list, a push
  // that touches none of the files the last render read cannot: no
  // re-render. The caller fetches, then RequestRefresh("webhook").
  bool PushConcerns(const server::PushEvent& event) const;

  // ---- scheduling (Manager) ----
  // True when Step() has something to do now.
  bool HasWork(std::chrono::steady_clock::time_point now) const;
  // Does the pending work; blocking (git, render, kube calls).
  void Step();
  // True once the first refresh finished (readiness).
  bool Initialized() const { return initialized_.load(); }
  // True while an operation is in progress (applied, waiting for health).
  bool Busy() const {
    std::lock_guard<std::mutex> lock(mu_);
    return active_.has_value();
  }

  // ---- reads (any thread) ----
  Object StatusJson() const;
  ObjectList ResourcesJson() const;
  ObjectList DiffJson() const;
  ObjectList HistoryJson(int limit = 100) const;

 private:
  struct SyncJob {
    std::string revision;   // "" = target revision (or the hold's)
    bool prune = false;
    bool dry_run = false;
    std::string initiator;  // "auto", "webhook", "rollback", or a user name
    bool automatic = false; // started by auto-sync or self-heal (guards apply)
    bool is_rollback = false;
    int64_t rollback_of = 0;  // history id of the failed or chosen operation
    std::string id;         // handed back to the requester
  };
  struct ActiveOp {
    Operation op;
    SyncJob job;
    std::vector<ResId> ids;
    std::chrono::steady_clock::time_point deadline;
    std::chrono::steady_clock::time_point next_check;
  };
  struct Rendered {
    std::string sha;
    ObjectList objects;          // rendered, not yet prepared
    std::set<std::string> files; // repository paths the render read
  };

  // Steps.
  void Refresh(const std::string& reason);
  void StartSync(SyncJob job);
  void CheckHealth();
  void Finish(Phase phase, const std::string& message);
  void AutoRollback(Operation failed, const std::string& reason);

  // Helpers (no lock held unless said).
  Result<git::Commit> ResolveTarget(const std::string& revision);
  Result<ObjectList> RenderAt(const git::Commit& commit);
  // The app's live objects: a full scan of every kind at the first call and
  // every kFullScanEvery calls, else only the kinds the app has or had;
  // keeps the cluster watch on those kinds.
  Result<ObjectList> LiveObjects(const ObjectList& desired);
  void AutoSyncDecision(const git::Commit& commit, const std::string& reason);
  void Publish();
  void SaveState();
  std::string NewRequestId();
  static std::vector<std::string> ImagesOf(const ObjectList& objects);

  // Immutable after construction (or replaced under mu_).
  ControllerDeps deps_;

  mutable std::mutex mu_;
  AppConfig config_;
  AppState state_;  // persisted part: last healthy revision, bad revisions, hold
  // Requests.
  bool refresh_requested_ = true;
  std::string refresh_reason_ = "startup";
  std::optional<SyncJob> sync_requested_;
  std::optional<ControllerDeps> pending_deps_;  // from UpdateConfig, until the next step
  std::chrono::steady_clock::time_point next_poll_{};
  std::optional<std::chrono::steady_clock::time_point> refresh_at_;  // RequestRefreshSoon
  std::string refresh_at_reason_;
  // Why and when the last refresh ran (shown as lastRefresh).
  std::string last_refresh_reason_;
  std::chrono::system_clock::time_point last_refresh_at_{};
  // The kinds the app has or had live (LiveObjects).
  std::set<kube::Gvk> live_kinds_;
  int refreshes_since_scan_ = -1;  // -1: never scanned
  // Published status.
  std::string error_;
  std::string sync_status_ = "Unknown";
  std::string synced_sha_;     // what the cluster runs (last successful sync)
  git::Commit target_commit_;
  diff::HealthStatus health_{diff::HealthCode::kUnknown, "not refreshed yet"};
  std::vector<std::string> images_;
  std::optional<Operation> last_op_;
  std::vector<diff::ObjectDiff> diffs_;
  std::vector<diff::ResourceHealth> resource_health_;
  std::optional<ActiveOp> active_;
  // Self-heal backoff.
  int self_heal_attempts_ = 0;
  std::chrono::steady_clock::time_point next_self_heal_{};
  // Render cache (commit sha + the files the render read).
  std::optional<Rendered> rendered_;
  std::atomic<uint64_t> request_seq_{0};
  std::atomic<bool> initialized_{false};
};

}  // namespace gitopsd::app
