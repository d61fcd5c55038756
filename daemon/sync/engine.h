// The one-shot sync steps shared by `gitopsd apply/diff/status` and the
// daemon: preparing desired objects (namespaces, tracking), finding the
// app's live objects, applying in order with prune, comparing, and waiting
// for health. Each talks to the cluster only through kube::Client.
// Functions are thread-safe when the Client is (the real one is).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/object.h"
#include "core/resid.h"
#include "core/status.h"
#include "daemon/kube/client.h"
#include "diff/diff.h"
#include "diff/health.h"
#include "daemon/sync/prune.h"

namespace gitopsd::sync {

// Rendered objects made ready to apply: namespaced kinds without a
// namespace get `default_namespace`, cluster-scoped ones lose any
// namespace (scope from discovery, else from a CRD among `rendered`, else
// namespaced), and every object gets the app's tracking label/annotation
// (none when `app` is empty).
Result<ObjectList> PrepareDesired(kube::Client& client, const ObjectList& rendered,
                                  const std::string& app, const std::string& default_namespace);

// The live objects tracked by `app`, over every listable kind (one version
// per group/kind), found with the app's label selector.
Result<ObjectList> ListTracked(kube::Client& client, const std::string& app);
// The same over the given kinds only (a kind the server does not serve is
// skipped): what a controller uses once a full scan told it which kinds its
// app has.
Result<ObjectList> ListTracked(kube::Client& client, const std::string& app,
                               const std::set<kube::Gvk>& kinds);
// Which kinds each app has objects of (label gitopsd.io/app, any value), in
// one list per listable kind for all apps together: the shared scan a
// cluster's apps use instead of each listing every kind (app/cluster_watch).
Result<std::map<std::string, std::set<kube::Gvk>>> KindsByApp(kube::Client& client);

// The objects one refresh has read: first what the app's list returned, then
// what single GETs found (nullopt: not found), so that comparing and health
// read each object once. Only for one refresh: it goes stale at once.
using LiveCache = std::unordered_map<ResId, std::optional<Object>, ResIdHash>;
LiveCache CacheOf(const ObjectList& live);
// The object from the cache, else from the server (and then cached).
Result<std::optional<Object>> GetCached(kube::Client& client, const ResId& id, LiveCache* cache);

enum class Action { kCreated, kConfigured, kUnchanged, kPruned, kPruneSkipped, kFailed };
// "created", "configured", "unchanged", "pruned", "prune skipped", "failed".
std::string_view ActionName(Action action);

struct ObjectResult {
  ResId id;
  Action action = Action::kUnchanged;
  std::string message;
};

struct ApplyRunOptions {
  std::string app;
  bool prune = false;
  bool dry_run = false;  // server-side dry run: nothing changes
  std::string field_manager = "gitopsd";
  // How long to wait for a kind whose CRD this sync just applied.
  std::chrono::milliseconds crd_wait{30'000};
};

struct ApplyReport {
  std::vector<ObjectResult> results;
  Status status;  // the first failure; the sync stops there
};

// Applies `desired` (prepared) in apply order, then prunes the tracked
// `live` objects that left it (when options.prune). Calls on_result as
// each object is done.
ApplyReport ApplyAll(kube::Client& client, const ObjectList& desired, const ObjectList& live,
                     const ApplyRunOptions& options,
                     const std::function<void(const ObjectResult&)>& on_result = {});

// Compares every desired object with the cluster (server-side dry-run when
// the object exists, structural otherwise) and reports tracked live objects
// that left the repo as removed. Result in apply order, removals last.
Result<std::vector<diff::ObjectDiff>> CompareAll(kube::Client& client, const ObjectList& desired,
                                                 const ObjectList& live,
                                                 const std::string& app,
                                                 const diff::DiffOptions& options = {},
                                                 LiveCache* cache = nullptr);

struct HealthReport {
  std::vector<diff::ResourceHealth> resources;
  diff::HealthStatus app;
  bool timed_out = false;
};

// Health of the given objects as they are now (absent ones are Missing).
// With a cache (a refresh's LiveCache), objects already read are not read
// again.
Result<HealthReport> AssessAll(kube::Client& client, const std::vector<ResId>& ids,
                               LiveCache* cache = nullptr);

struct WaitOptions {
  std::chrono::milliseconds timeout{300'000};
  std::chrono::milliseconds poll{500};
};

// Polls until every object is Healthy, one is Degraded (no point waiting),
// or the timeout passes (timed_out).
Result<HealthReport> WaitForHealth(kube::Client& client, const std::vector<ResId>& ids,
                                   const WaitOptions& options);

}  // namespace gitopsd::sync
