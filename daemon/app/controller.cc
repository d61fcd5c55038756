// Controller: requests, scheduling, refresh and the published status.
// The sync step machine is in controller_sync.cc.
#include "daemon/app/controller.h"

#include <algorithm>
#include <ctime>

#include "core/log.h"
#include "daemon/sync/engine.h"
#include "daemon/sync/tracking.h"
#include "diff/render.h"
#include "kustomize/kustomize.h"

namespace gitopsd::app {
namespace {

using Clock = std::chrono::steady_clock;

std::string Iso8601(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm;
  gmtime_r(&secs, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Poll jitter: up to a quarter of the interval (at most a minute), so apps
// of one repository do not all poll at the same instant.
std::chrono::milliseconds Jitter(std::chrono::milliseconds interval, const std::string& seed) {
  auto span = std::min<int64_t>(interval.count() / 4, 60000);
  if (span <= 0) return std::chrono::milliseconds(0);
  size_t h = std::hash<std::string>()(seed + std::to_string(Clock::now().time_since_epoch().count()));
  return std::chrono::milliseconds(static_cast<int64_t>(h % static_cast<size_t>(span)));
}

}  // namespace

Object OperationJson(const Operation& op) {
  Object o{{"id", op.id},
           {"phase", std::string(PhaseName(op.phase))},
           {"initiator", op.initiator},
           {"revision", op.commit_sha.empty() ? op.revision : op.commit_sha},
           {"targetRevision", op.revision},
           {"images", op.images},
           {"startedAt", Iso8601(op.started_at)},
           {"finishedAt", op.finished_at ? Object(Iso8601(*op.finished_at)) : Object(nullptr)},
           {"message", op.message},
           {"resources", op.resources}};
  if (op.details.is_object()) {
    for (auto it = op.details.begin(); it != op.details.end(); ++it) {
      if (!o.contains(it.key())) o[it.key()] = it.value();
    }
  }
  return o;
}

Controller::Controller(AppConfig config, ControllerDeps deps, AppState persisted)
    : deps_(std::move(deps)), config_(std::move(config)), state_(std::move(persisted)) {
  state_.app = config_.name;
  synced_sha_ = state_.last_healthy_revision;
  if (deps_.history) {
    auto last = deps_.history->LastOperation(config_.name);
    if (last.ok() && last->has_value()) last_op_ = **last;
    // The last successful sync tells what the cluster runs.
    auto ok = deps_.history->LastOperation(config_.name, Phase::kSucceeded);
    if (ok.ok() && ok->has_value() && !(*ok)->commit_sha.empty()) synced_sha_ = (*ok)->commit_sha;
  }
}

AppConfig Controller::config() const {
  std::lock_guard<std::mutex> lock(mu_);
  return config_;
}

void Controller::UpdateConfig(AppConfig config, ControllerDeps deps) {
  std::lock_guard<std::mutex> lock(mu_);
  bool moved = config.path != config_.path || config.repo != config_.repo;
  config_ = std::move(config);
  if (moved) rendered_.reset();
  pending_deps_ = std::move(deps);
  refresh_requested_ = true;
  refresh_reason_ = "configuration reloaded";
}

std::string Controller::NewRequestId() {
  return config_.name + "-" + std::to_string(std::time(nullptr)) + "-" + std::to_string(++request_seq_);
}

void Controller::RequestRefresh(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  refresh_reason_ = reason;
  refresh_requested_ = true;
}

void Controller::RequestRefreshSoon(const std::string& reason, std::chrono::milliseconds delay) {
  std::lock_guard<std::mutex> lock(mu_);
  if (refresh_at_) return;  // one already pending: coalesced
  refresh_at_ = Clock::now() + delay;
  refresh_at_reason_ = reason;
}

Result<ObjectList> Controller::LiveObjects(const ObjectList& desired) {
  constexpr int kFullScanEvery = 20;
  auto kind_of = [](const Object& o) {
    return kube::Gvk::FromApiVersion(GetString(o, "apiVersion"), GetString(o, "kind"));
  };
  // The kinds from now on: desired and found, plus (between full scans,
  // which forget kinds the app no longer has) the ones known before.
  std::set<kube::Gvk> kinds;
  bool full;
  {
    std::lock_guard<std::mutex> lock(mu_);
    full = refreshes_since_scan_ < 0 || refreshes_since_scan_ >= kFullScanEvery;
    if (!full) kinds = live_kinds_;
  }
  for (const auto& o : desired) kinds.insert(kind_of(o));
  const std::string app = config().name;
  auto list_live = [&]() -> Result<ObjectList> {
    if (full && deps_.watch) {
      // The cluster's shared scan says which kinds the app has there.
      auto found = deps_.watch->KindsOf(app);
      if (!found.ok()) return found.status().WithContext("listing the objects of app \"" + app + "\"");
      kinds.insert(found->begin(), found->end());
    } else if (full) {
      return sync::ListTracked(*deps_.client, app);
    }
    return sync::ListTracked(*deps_.client, app, kinds);
  };
  auto live = list_live();
  if (!live.ok()) return live;
  for (const auto& o : *live) kinds.insert(kind_of(o));
  if (deps_.watch) deps_.watch->Watch(kinds);
  std::lock_guard<std::mutex> lock(mu_);
  live_kinds_ = std::move(kinds);
  refreshes_since_scan_ = full ? 0 : refreshes_since_scan_ + 1;
  return live;
}

bool Controller::PushConcerns(const server::PushEvent& event) const {
  std::lock_guard<std::mutex> lock(mu_);
  // A push that changes none of the files this app's render read cannot
  // change its manifests: skip the re-render (the next poll still moves the
  // cached commit forward).
  if (event.has_file_list && rendered_ && !rendered_->files.empty()) {
    bool touched = false;
    for (const auto& f : event.changed_files) {
      if (rendered_->files.count(f)) {
        touched = true;
        break;
      }
    }
    if (!touched) return false;
  }
  return true;
}

Result<std::string> Controller::RequestSync(const server::SyncRequest& request,
                                            const std::string& initiator) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!deps_.client) return FailedPrecondition("cluster unavailable: " + deps_.cluster_error);
  SyncJob job;
  job.revision = request.revision;
  job.prune = request.prune;
  job.dry_run = request.dry_run;
  job.initiator = initiator.empty() ? "anonymous" : initiator;
  job.id = NewRequestId();
  sync_requested_ = job;
  return job.id;
}

Result<std::string> Controller::RequestRollback(int64_t history_id, const std::string& initiator) {
  if (!deps_.history) return FailedPrecondition("no history store");
  ASSIGN_OR_RETURN(Operation op, deps_.history->GetOperation(history_id));
  if (op.app != config_.name) {
    return NotFound("history entry " + std::to_string(history_id) + " is not of app \"" +
                    config_.name + "\"");
  }
  if (op.commit_sha.empty()) {
    return FailedPrecondition("history entry " + std::to_string(history_id) +
                              " has no resolved commit to roll back to");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!deps_.client) return FailedPrecondition("cluster unavailable: " + deps_.cluster_error);
  SyncJob job;
  job.revision = op.commit_sha;
  job.prune = config_.prune;
  job.initiator = initiator.empty() ? "anonymous" : initiator;
  job.is_rollback = true;
  job.rollback_of = history_id;
  job.id = NewRequestId();
  // With auto-sync on, hold the app at that commit until a new commit
  // arrives or a user releases it (Argo CD refuses rollbacks instead).
  if (config_.auto_sync) {
    state_.hold = Hold{op.commit_sha,
                       "rolled back by " + job.initiator + " to #" + std::to_string(history_id),
                       target_commit_.sha};
  }
  sync_requested_ = job;
  return job.id;
}

Result<std::string> Controller::RequestReleaseHold(const std::string& initiator) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!state_.hold) return FailedPrecondition("app \"" + config_.name + "\" is not on hold");
    log::Info("app", "hold released", {{"app", config_.name}, {"by", initiator}});
    state_.hold.reset();
    refresh_requested_ = true;
    refresh_reason_ = "hold released by " + initiator;
  }
  SaveState();
  Publish();
  return NewRequestId();
}

bool Controller::HasWork(Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (active_) return now >= active_->next_check;
  return refresh_requested_ || sync_requested_.has_value() || now >= next_poll_ ||
         (refresh_at_ && now >= *refresh_at_) ||
         (self_heal_attempts_ > 0 && now >= next_self_heal_ && sync_status_ == "OutOfSync");
}

void Controller::Step() {
  auto now = Clock::now();
  bool check_health = false;
  std::optional<SyncJob> job;
  bool refresh = false;
  std::string reason;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_deps_) {
      // Steps are serialized per app, so nothing else is using deps_ now
      // (RequestSync/RequestRollback read it under mu_).
      if (pending_deps_->repo != deps_.repo || pending_deps_->poll_interval != deps_.poll_interval) {
        next_poll_ = now;  // a new repository or interval: fetch now
      }
      if (pending_deps_->repo != deps_.repo) rendered_.reset();
      deps_.repo = std::move(pending_deps_->repo);
      deps_.client = std::move(pending_deps_->client);
      deps_.watch = std::move(pending_deps_->watch);
      deps_.cluster_error = std::move(pending_deps_->cluster_error);
      deps_.poll_interval = pending_deps_->poll_interval;
      pending_deps_.reset();
    }
    if (active_) {
      check_health = now >= active_->next_check;
    } else if (sync_requested_) {
      job = std::move(sync_requested_);
      sync_requested_.reset();
    } else if (refresh_requested_ || now >= next_poll_ || (refresh_at_ && now >= *refresh_at_) ||
               (self_heal_attempts_ > 0 && now >= next_self_heal_)) {
      refresh = true;
      reason = refresh_requested_                        ? refresh_reason_
               : (refresh_at_ && now >= *refresh_at_) ? refresh_at_reason_
                                                       : "poll";
      refresh_requested_ = false;
      if (refresh_at_ && now >= *refresh_at_) refresh_at_.reset();
    }
  }
  if (check_health) {
    CheckHealth();
  } else if (job) {
    StartSync(std::move(*job));
  } else if (refresh) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_refresh_reason_ = reason;
      last_refresh_at_ = std::chrono::system_clock::now();
    }
    auto started = Clock::now();
    Refresh(reason);
    if (deps_.metrics) {
      deps_.metrics->reconcile_duration.Observe(
          {config_.name}, std::chrono::duration<double>(Clock::now() - started).count());
    }
    std::lock_guard<std::mutex> lock(mu_);
    next_poll_ = Clock::now() + deps_.poll_interval + Jitter(deps_.poll_interval, config_.name);
  }
}

Result<git::Commit> Controller::ResolveTarget(const std::string& revision) {
  auto commit = deps_.repo->Resolve(revision);
  if (!commit.ok()) return std::move(commit).WithContext("resolving revision \"" + revision + "\"");
  return commit;
}

Result<ObjectList> Controller::RenderAt(const git::Commit& commit) {
  std::string path;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (rendered_ && rendered_->sha == commit.sha) return rendered_->objects;
    // Reuse the previous render when the new commit changed none of the
    // files it read (the renderer reports them exactly).
    if (rendered_ && !rendered_->files.empty()) {
      auto changed = deps_.repo->ChangedFiles(rendered_->sha, commit.sha);
      if (changed.ok()) {
        bool touched = std::any_of(changed->begin(), changed->end(),
                                   [&](const std::string& f) { return rendered_->files.count(f); });
        if (!touched) {
          rendered_->sha = commit.sha;
          return rendered_->objects;
        }
      }
    }
    path = config_.path;
  }
  auto started = Clock::now();
  ASSIGN_OR_RETURN(auto fs, deps_.repo->Tree(commit.sha));
  kustomize::RenderOptions options;
  auto result = kustomize::Render(*fs, path == "." ? "" : path, options);
  if (deps_.metrics) {
    deps_.metrics->render_duration.Observe(
        {config_.name}, std::chrono::duration<double>(Clock::now() - started).count());
  }
  if (!result.ok()) {
    return std::move(result).WithContext("rendering " + path + " at " + ShortSha(commit.sha)).status();
  }
  std::lock_guard<std::mutex> lock(mu_);
  rendered_ = Rendered{commit.sha, result->objects, result->files_read};
  return result->objects;
}

std::vector<std::string> Controller::ImagesOf(const ObjectList& objects) {
  std::vector<std::string> images;
  std::function<void(const Object&, const std::string&)> walk = [&](const Object& v,
                                                                     const std::string& key) {
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) walk(it.value(), it.key());
    } else if (v.is_array() && (key == "containers" || key == "initContainers")) {
      for (const auto& c : v) {
        if (c.is_object() && c.contains("image") && c["image"].is_string()) {
          images.push_back(c["image"].get<std::string>());
        }
      }
    } else if (v.is_array()) {
      for (const auto& c : v) walk(c, "");
    }
  };
  for (const auto& o : objects) walk(o, "");
  std::sort(images.begin(), images.end());
  images.erase(std::unique(images.begin(), images.end()), images.end());
  return images;
}

void Controller::Refresh(const std::string& reason) {
  AppConfig cfg = config();
  auto fail = [&](const Status& s, const std::string& sync_status) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = s.message();
      sync_status_ = sync_status;
      initialized_ = true;
    }
    log::Warn("app", "refresh failed", {{"app", cfg.name}, {"error", s.message()}});
    Publish();
  };
  if (!deps_.client) return fail(FailedPrecondition("cluster \"" + cfg.cluster + "\": " + deps_.cluster_error), "Unknown");

  auto fetch_started = Clock::now();
  Status fetched = deps_.repo->FetchIfOlderThan(deps_.poll_interval / 2);
  if (deps_.metrics) {
    deps_.metrics->git_request_duration.Observe(
        {cfg.repo, "fetch"}, std::chrono::duration<double>(Clock::now() - fetch_started).count());
  }
  if (!fetched.ok()) {
    if (deps_.metrics) deps_.metrics->git_fetch_failures.Inc({cfg.repo});
    // Keep serving the last known state; show the error on the app.
    return fail(fetched.WithContext("fetching " + cfg.repo), sync_status_);
  }

  // The tracked revision; a hold pins the app to its commit until a new
  // commit arrives on the tracked revision.
  auto tracked = ResolveTarget(cfg.revision);
  if (!tracked.ok()) return fail(tracked.status(), "Unknown");
  std::string target_rev;
  bool hold_released = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    target_commit_ = *tracked;
    if (state_.hold && !state_.hold->base_revision.empty() &&
        state_.hold->base_revision != tracked->sha) {
      log::Info("app", "new commit releases the hold",
                {{"app", cfg.name}, {"revision", tracked->sha}});
      state_.hold.reset();
      hold_released = true;
    }
    // A new commit also clears the bad mark of older revisions' retries.
    target_rev = state_.hold ? state_.hold->revision : tracked->sha;
  }
  if (hold_released) SaveState();
  git::Commit target = *tracked;
  if (target_rev != tracked->sha) {
    auto held = ResolveTarget(target_rev);
    if (!held.ok()) return fail(held.status(), "Unknown");
    target = *held;
  }

  auto rendered = RenderAt(target);
  if (!rendered.ok()) return fail(rendered.status(), "Unknown");
  auto desired = sync::PrepareDesired(*deps_.client, *rendered, cfg.name, cfg.namespace_);
  if (!desired.ok()) return fail(desired.status(), "Unknown");
  auto live = LiveObjects(*desired);
  if (!live.ok()) return fail(live.status().WithContext("listing live objects"), "Unknown");

  diff::DiffOptions dopts;
  auto rules = diff::ParseIgnoreRules(Object(cfg.ignore_differences));
  if (rules.ok()) dopts.ignore = *rules;
  // Each object is read once in this refresh: the list, then a GET only for
  // the ones it did not return (not there yet, or not tracked).
  sync::LiveCache read = sync::CacheOf(*live);
  auto diffs = sync::CompareAll(*deps_.client, *desired, *live, cfg.name, dopts, &read);
  if (!diffs.ok()) return fail(diffs.status().WithContext("comparing with the cluster"), "Unknown");

  std::vector<ResId> ids;
  for (const auto& o : *desired) ids.push_back(ResId::Of(o));
  auto health = sync::AssessAll(*deps_.client, ids, &read);
  if (!health.ok()) return fail(health.status().WithContext("assessing health"), "Unknown");

  bool out_of_sync = false;
  for (const auto& d : *diffs) {
    if (!d.HasChanges()) continue;
    if (d.change == diff::ChangeKind::kRemoved && sync::IgnoreExtraneous(d.live)) continue;
    out_of_sync = true;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    error_.clear();
    sync_status_ = out_of_sync ? "OutOfSync" : "Synced";
    if (!out_of_sync) {
      self_heal_attempts_ = 0;
      // What runs is what the repo says at this commit.
      synced_sha_ = target.sha;
    }
    diffs_ = std::move(*diffs);
    resource_health_ = health->resources;
    health_ = health->app;
    images_ = ImagesOf(*desired);
    initialized_ = true;
  }
  Publish();
  AutoSyncDecision(target, reason);
}

void Controller::AutoSyncDecision(const git::Commit& commit, const std::string& reason) {
  SyncJob job;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!config_.auto_sync || sync_status_ != "OutOfSync" || active_ || sync_requested_) return;
    if (state_.bad_revisions.count(commit.sha)) return;  // never retry a bad revision
    bool new_revision = commit.sha != synced_sha_;
    if (!new_revision) {
      // Drift at the synced revision: only self-heal re-applies, with backoff.
      if (!config_.self_heal) return;
      auto now = Clock::now();
      if (self_heal_attempts_ > 0 && now < next_self_heal_) return;
      int shift = std::min(self_heal_attempts_, 6);
      next_self_heal_ = now + std::chrono::seconds(5) * (1 << shift);
      ++self_heal_attempts_;
    }
    job.revision = commit.sha;
    job.prune = config_.prune;
    job.initiator = reason == "webhook" ? "webhook" : "auto";
    job.automatic = true;
    job.id = NewRequestId();
  }
  StartSync(std::move(job));
}

void Controller::Publish() {
  if (deps_.on_change) deps_.on_change(config_.name);
}

void Controller::SaveState() {
  if (!deps_.history) return;
  AppState copy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    copy = state_;
  }
  Status s = deps_.history->SaveAppState(copy);
  if (!s.ok()) log::Error("app", "saving app state failed", {{"app", copy.app}, {"error", s.message()}});
}

Object Controller::StatusJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  Object commit = nullptr;
  if (!target_commit_.sha.empty()) {
    commit = Object{{"sha", target_commit_.sha},
                    {"author", target_commit_.author_name},
                    {"message", target_commit_.title},
                    {"time", Iso8601(std::chrono::system_clock::time_point(
                                 std::chrono::seconds(target_commit_.time)))}};
  }
  Object op = nullptr;
  if (active_) {
    op = OperationJson(active_->op);
  } else if (last_op_) {
    op = OperationJson(*last_op_);
  }
  Object hold = nullptr;
  if (state_.hold) hold = Object{{"revision", state_.hold->revision}, {"reason", state_.hold->reason}};
  return Object{{"name", config_.name},
                {"repo", config_.repo},
                {"path", config_.path},
                {"revision", config_.revision},
                {"cluster", config_.cluster},
                {"namespace", config_.namespace_},
                {"autoSync", config_.auto_sync},
                {"prune", config_.prune},
                {"selfHeal", config_.self_heal},
                {"autoRollback", config_.auto_rollback},
                {"sync", {{"status", sync_status_}, {"revision", synced_sha_}}},
                {"health", {{"status", std::string(diff::HealthName(health_.status))},
                            {"message", health_.message}}},
                {"images", images_},
                {"commit", commit},
                {"operation", op},
                {"hold", hold},
                {"badRevisions", Object(std::vector<std::string>(state_.bad_revisions.begin(),
                                                                 state_.bad_revisions.end()))},
                {"lastRefresh", last_refresh_reason_.empty()
                                    ? Object(nullptr)
                                    : Object{{"reason", last_refresh_reason_}, {"at", Iso8601(last_refresh_at_)}}},
                {"error", error_.empty() ? Object(nullptr) : Object(error_)}};
}

ObjectList Controller::ResourcesJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  ObjectList out;
  for (const auto& d : diffs_) {
    Object health = nullptr;
    for (const auto& rh : resource_health_) {
      if (rh.id == d.id) {
        health = Object{{"status", std::string(diff::HealthName(rh.health.status))},
                        {"message", rh.health.message}};
      }
    }
    std::string sync = d.change == diff::ChangeKind::kUnchanged ? "Synced" : "OutOfSync";
    out.push_back(Object{{"group", d.id.group}, {"version", d.id.version}, {"kind", d.id.kind},
                         {"namespace", d.id.namespace_}, {"name", d.id.name},
                         {"syncStatus", sync},
                         {"requiresPruning", d.change == diff::ChangeKind::kRemoved},
                         {"health", health}});
  }
  return out;
}

ObjectList Controller::DiffJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  ObjectList out;
  for (const auto& d : diffs_) {
    if (!d.HasChanges()) continue;
    Object j = diff::ToJson(d);
    j["unified"] = diff::RenderUnified(d);
    out.push_back(std::move(j));
  }
  return out;
}

ObjectList Controller::HistoryJson(int limit) const {
  ObjectList out;
  if (!deps_.history) return out;
  auto ops = deps_.history->ListOperations(config_.name, limit);
  if (!ops.ok()) return out;
  for (const auto& op : *ops) out.push_back(OperationJson(op));
  return out;
}

}  // namespace gitopsd::app
