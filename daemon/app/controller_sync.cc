// Controller: the sync operation step machine (apply -> wait for health ->
// finish, with automatic rollback). See controller.h.
#include <algorithm>

#include "core/log.h"
#include "daemon/app/controller.h"
#include "daemon/sync/engine.h"
#include "daemon/sync/prune.h"

namespace gitopsd::app {
namespace {

using Clock = std::chrono::steady_clock;

Object ResultJson(const sync::ObjectResult& r) {
  return Object{{"group", r.id.group}, {"version", r.id.version}, {"kind", r.id.kind},
                {"namespace", r.id.namespace_}, {"name", r.id.name},
                {"status", std::string(sync::ActionName(r.action))}, {"message", r.message}};
}

std::string Summary(const std::vector<sync::ObjectResult>& results) {
  std::map<std::string, int> counts;
  for (const auto& r : results) counts[std::string(sync::ActionName(r.action))]++;
  std::string out;
  for (const auto& [action, n] : counts) {
    if (!out.empty()) out += ", ";
    out += std::to_string(n) + " " + action;
  }
  return out.empty() ? "nothing to apply" : out;
}

}  // namespace

void Controller::StartSync(SyncJob job) {
  AppConfig cfg = config();
  Operation op;
  op.app = cfg.name;
  op.initiator = job.initiator;
  op.started_at = std::chrono::system_clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    op.revision = !job.revision.empty() ? job.revision
                  : state_.hold         ? state_.hold->revision
                                        : cfg.revision;
  }
  op.details = Object{{"prune", job.prune}, {"dryRun", job.dry_run}, {"requestId", job.id}};
  if (job.is_rollback) op.details["rollbackOf"] = job.rollback_of;

  // Failures before anything was applied are recorded as a failed operation.
  auto fail_early = [&](const Status& s) {
    op.phase = Phase::kFailed;
    op.message = s.message();
    if (deps_.history) {
      auto id = deps_.history->StartOperation(op);
      if (id.ok()) op.id = *id;
    }
    if (deps_.metrics) deps_.metrics->sync_total.Inc({cfg.name, "Failed", op.initiator});
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_op_ = op;
    }
    log::Warn("sync", "sync failed", {{"app", cfg.name}, {"revision", op.revision}, {"error", s.message()}});
    Publish();
  };
  if (!deps_.client) return fail_early(FailedPrecondition("cluster unavailable: " + deps_.cluster_error));
  auto commit = ResolveTarget(op.revision);
  if (!commit.ok()) return fail_early(commit.status());
  op.commit_sha = commit->sha;
  op.details["commitMessage"] = commit->title;
  op.details["commitAuthor"] = commit->author_name;
  auto rendered = RenderAt(*commit);
  if (!rendered.ok()) return fail_early(rendered.status());
  auto desired = sync::PrepareDesired(*deps_.client, *rendered, cfg.name, cfg.namespace_);
  if (!desired.ok()) return fail_early(desired.status());
  op.images = ImagesOf(*desired);
  auto live = LiveObjects(*desired);
  if (!live.ok()) return fail_early(live.status().WithContext("listing live objects"));

  // Guards of automatic syncs: never prune everything, nor more than maxPrune.
  if (job.prune && job.automatic) {
    auto candidates = sync::ComputePrune(*desired, *live, cfg.name);
    long n = std::count_if(candidates.begin(), candidates.end(),
                           [](const sync::PruneCandidate& c) { return !c.skipped; });
    if (n > 0 && desired->empty()) {
      return fail_early(FailedPrecondition("refusing to prune every object of the app (" +
                                           std::to_string(n) + ") in an automatic sync"));
    }
    if (n > cfg.max_prune) {
      return fail_early(FailedPrecondition(
          "refusing to prune " + std::to_string(n) + " objects in an automatic sync (maxPrune " +
          std::to_string(cfg.max_prune) + "); sync by hand to confirm"));
    }
  }

  op.phase = Phase::kRunning;
  op.message = job.dry_run ? "dry run" : "applying";
  if (deps_.history) {
    auto id = deps_.history->StartOperation(op);
    if (!id.ok()) return fail_early(id.status().WithContext("recording the operation"));
    op.id = *id;
  }
  std::vector<ResId> ids;
  for (const auto& o : *desired) ids.push_back(ResId::Of(o));
  {
    std::lock_guard<std::mutex> lock(mu_);
    active_ = ActiveOp{op, job, ids, Clock::time_point::max(), Clock::time_point::max()};
    last_op_ = op;
  }
  log::Info("sync", "sync started", {{"app", cfg.name}, {"revision", op.commit_sha},
                                     {"op", std::to_string(op.id)}, {"initiator", op.initiator}});
  Publish();

  sync::ApplyRunOptions aopts;
  aopts.app = cfg.name;
  aopts.prune = job.prune;
  aopts.dry_run = job.dry_run;
  auto report = sync::ApplyAll(*deps_.client, *desired, *live, aopts,
                               [&](const sync::ObjectResult& r) {
                                 {
                                   std::lock_guard<std::mutex> lock(mu_);
                                   if (active_) active_->op.resources.push_back(ResultJson(r));
                                 }
                                 Publish();
                               });
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (active_) {
      active_->op.resources = Object::array();
      for (const auto& r : report.results) active_->op.resources.push_back(ResultJson(r));
    }
  }
  if (!report.status.ok()) {
    return Finish(Phase::kFailed, "apply failed: " + report.status.message());
  }
  if (job.dry_run) {
    return Finish(Phase::kSucceeded, "dry run (nothing changed): " + Summary(report.results));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!active_) return;
    active_->op.message = "applied (" + Summary(report.results) + "); waiting for health";
    active_->deadline = Clock::now() + cfg.health_timeout;
    active_->next_check = Clock::now();
    if (deps_.history) (void)deps_.history->UpdateOperation(active_->op);
  }
  Publish();
}

void Controller::CheckHealth() {
  std::vector<ResId> ids;
  Clock::time_point deadline;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!active_) return;
    ids = active_->ids;
    deadline = active_->deadline;
  }
  auto report = sync::AssessAll(*deps_.client, ids);
  auto now = Clock::now();
  std::string timeout_text = FormatDuration(config().health_timeout);
  if (!report.ok()) {
    if (now >= deadline) {
      return Finish(Phase::kFailed, "health unknown after " + timeout_text + ": " + report.status().message());
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (active_) active_->next_check = now + deps_.health_poll;
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    health_ = report->app;
    resource_health_ = report->resources;
  }
  switch (report->app.status) {
    case diff::HealthCode::kHealthy:
      return Finish(Phase::kSucceeded, "synced and healthy");
    case diff::HealthCode::kDegraded:
      return Finish(Phase::kFailed, "degraded: " + report->app.message);
    default:
      break;
  }
  if (now >= deadline) {
    return Finish(Phase::kFailed, "not healthy after " + timeout_text + " (" +
                                      std::string(diff::HealthName(report->app.status)) + ": " +
                                      report->app.message + ")");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (active_) active_->next_check = now + deps_.health_poll;
  }
  Publish();
}

void Controller::Finish(Phase phase, const std::string& message) {
  Operation op;
  SyncJob job;
  bool rollback = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!active_) return;
    op = active_->op;
    job = active_->job;
    active_.reset();
    op.phase = phase;
    op.message = message;
    if (phase == Phase::kSucceeded && !job.dry_run) {
      state_.last_healthy_revision = op.commit_sha;
      synced_sha_ = op.commit_sha;
      if (!job.is_rollback) self_heal_attempts_ = 0;
    }
    rollback = phase == Phase::kFailed && config_.auto_rollback && !job.is_rollback && !job.dry_run;
    if (!rollback) last_op_ = op;
    refresh_requested_ = true;
    refresh_reason_ = "operation finished";
  }
  if (deps_.history) {
    Status s = deps_.history->UpdateOperation(op);
    if (!s.ok()) log::Error("sync", "recording the operation failed", {{"app", op.app}, {"error", s.message()}});
  }
  if (phase == Phase::kSucceeded && !job.dry_run) SaveState();
  log::Write(phase == Phase::kSucceeded ? log::Level::kInfo : log::Level::kWarn, "sync",
             "sync finished", {{"app", op.app}, {"revision", op.commit_sha}, {"op", std::to_string(op.id)},
                               {"phase", std::string(PhaseName(phase))}, {"msg", message}});
  if (rollback) {
    // The failed revision is rolled back: record it, then re-apply the last
    // revision that synced Healthy.
    {
      std::lock_guard<std::mutex> lock(mu_);
      state_.bad_revisions.insert(op.commit_sha);
      last_op_ = op;
    }
    SaveState();
    return AutoRollback(op, message);
  }
  if (deps_.metrics) deps_.metrics->sync_total.Inc({op.app, std::string(PhaseName(phase)), op.initiator});
  Publish();
}

void Controller::AutoRollback(Operation failed, const std::string& reason) {
  std::string target;
  {
    std::lock_guard<std::mutex> lock(mu_);
    target = state_.last_healthy_revision;
  }
  if (target.empty() || target == failed.commit_sha) {
    failed.message = reason + "; no earlier healthy revision to roll back to";
    if (deps_.history) (void)deps_.history->UpdateOperation(failed);
    if (deps_.metrics) deps_.metrics->sync_total.Inc({failed.app, "Failed", failed.initiator});
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_op_ = failed;
    }
    Publish();
    return;
  }
  failed.phase = Phase::kRolledBack;
  failed.message = reason + "; rolled back to " + ShortSha(target) + " (revision " +
                   ShortSha(failed.commit_sha) + " marked bad)";
  if (deps_.history) (void)deps_.history->UpdateOperation(failed);
  if (deps_.metrics) {
    deps_.metrics->sync_total.Inc({failed.app, "RolledBack", failed.initiator});
    std::string kind = reason.rfind("degraded", 0) == 0      ? "degraded"
                       : reason.rfind("apply failed", 0) == 0 ? "apply_failed"
                                                               : "timeout";
    deps_.metrics->rollback_total.Inc({failed.app, kind});
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_op_ = failed;
  }
  log::Warn("sync", "rolling back", {{"app", failed.app}, {"from", failed.commit_sha}, {"to", target},
                                     {"reason", reason}});
  Publish();
  SyncJob job;
  job.revision = target;
  job.prune = config().prune;
  job.initiator = "rollback";
  job.is_rollback = true;
  job.rollback_of = failed.id;
  job.id = NewRequestId();
  StartSync(std::move(job));
}

}  // namespace gitopsd::app
