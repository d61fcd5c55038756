// AppService: the narrow interface through which the HTTP API and the console
// read published app status and send commands. The daemon's app manager
// (daemon/app) implements it; the HTTP layer never reaches into controller
// internals. Implementations must be thread-safe: every method is called from
// HTTP I/O threads and must not block for long (commands only enqueue work).
//
// JSON shapes (the API contract, documented in docs/api.md):
//   app:       {name, repo, path, revision, cluster, namespace, autoSync, prune,
//               sync:{status, revision}, health:{status, message}, images:[..],
//               commit:{sha, author, message, time}, operation:{id, phase,
//               revision, initiator, startedAt, finishedAt, message,
//               resources:[..]} | null, hold: null | {revision, reason},
//               error: null | message}
//   history:   [{id, phase, initiator, revision, commitMessage, images, startedAt,
//               finishedAt, message, resources}]
//   resources: [{group, version, kind, namespace, name, syncStatus,
//               health:{status, message}}]
//   diff:      [{id:{group,version,kind,namespace,name}, change, paths:[{path, old,
//               new}], unified}]   (Secret values masked)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/object.h"
#include "core/status.h"
#include "daemon/server/webhook.h"

namespace gitopsd::server {

struct SyncRequest {
  std::string revision;  // "" = the app's target revision
  bool prune = false;
  bool dry_run = false;
};

struct WebhookOutcome {
  std::vector<std::string> refreshed;  // apps refreshed by this push
  std::vector<std::string> skipped;    // matched apps whose files the push did not touch
};

class AppService {
 public:
  virtual ~AppService() = default;

  virtual ObjectList ListApps() const = 0;
  virtual Result<Object> GetApp(const std::string& name) const = 0;
  virtual Result<ObjectList> History(const std::string& name) const = 0;
  virtual Result<ObjectList> Resources(const std::string& name) const = 0;
  virtual Result<ObjectList> Diff(const std::string& name) const = 0;

  // Commands return the id of the operation they queued (refresh: a refresh
  // id). NotFound for an unknown app, FailedPrecondition when not allowed now.
  virtual Result<std::string> Refresh(const std::string& name, const std::string& initiator) = 0;
  virtual Result<std::string> Sync(const std::string& name, const SyncRequest& request,
                                   const std::string& initiator) = 0;
  virtual Result<std::string> Rollback(const std::string& name, int64_t history_id,
                                       const std::string& initiator) = 0;
  virtual Result<std::string> ReleaseHold(const std::string& name,
                                          const std::string& initiator) = 0;

  // The webhook secret that applies to a push for these repository URLs:
  // the matching repository's own secret, else the global one ("" = none).
  virtual std::string WebhookSecretFor(const std::vector<std::string>& repo_urls) const = 0;
  // Refreshes the apps a verified push concerns.
  virtual WebhookOutcome OnPush(const PushEvent& event) = 0;

  // Calls `listener` with the app JSON on every status change of any app,
  // from any thread, until the returned handle is destroyed.
  using Listener = std::function<void(const Object& app)>;
  virtual std::shared_ptr<void> Subscribe(Listener listener) = 0;

  // False until the first refresh of every app finished (for /readyz).
  virtual bool Ready() const = 0;
};

}  // namespace gitopsd::server
