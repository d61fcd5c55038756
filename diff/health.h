// Health assessment of live objects and of an app (gitops-semantics.md §6.3,
// Argo CD's built-in rules plus its bundled CronJob rule).
//
// Per kind, one check in diff/health/<kind>.cc behind a registry keyed by
// group/kind: Deployment, StatefulSet, DaemonSet, ReplicaSet (apps), Pod,
// Service, PersistentVolumeClaim (core), Ingress (networking.k8s.io and
// extensions), Job, CronJob (batch), HorizontalPodAutoscaler (autoscaling,
// v1 annotation and v2 conditions), APIService (apiregistration.k8s.io).
// Before any check: an object with metadata.deletionTimestamp is
// Progressing "Pending deletion". Kinds without a check are Healthy when
// they exist.
//
// Ordering, best to worst (Argo CD's, kept so migrating users read app
// health the same way): Healthy < Suspended < Progressing < Missing <
// Degraded < Unknown. Unknown is worst because nothing good can be claimed
// about an object whose state cannot be read.
//
// App health = the worst health of its resources that exist live; Missing
// resources only count when none of the app's resources exists (then the
// app is Missing; also when the app has no resources at all). A missing
// object already makes the app OutOfSync; counting it in health too would
// hide the health of everything else while a sync is creating objects.
//
// Pure functions; the built-in registry is immutable and thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/resid.h"

namespace gitopsd::diff {

enum class HealthCode { kHealthy, kSuspended, kProgressing, kMissing, kDegraded, kUnknown };

// "Healthy", "Suspended", "Progressing", "Missing", "Degraded", "Unknown".
std::string_view HealthName(HealthCode code);
// True when `a` is worse than `b` in the order above.
bool IsWorse(HealthCode a, HealthCode b);

struct HealthStatus {
  HealthCode status = HealthCode::kHealthy;
  std::string message;

  bool operator==(const HealthStatus&) const = default;
};

// A per-kind check; it sees the raw live object (status included).
using HealthCheck = std::function<HealthStatus(const Object& live)>;

// Checks keyed by group/kind (any version).
class HealthRegistry {
 public:
  // The built-in checks listed above.
  static const HealthRegistry& Builtin();

  void Register(std::string group, std::string kind, HealthCheck check);
  // nullptr when the kind has no check.
  const HealthCheck* Find(std::string_view group, std::string_view kind) const;

 private:
  std::map<std::pair<std::string, std::string>, HealthCheck, std::less<>> checks_;
};

// Health of one live object (null -> Missing), with the built-in registry
// or a given one (e.g. the built-ins plus user checks).
HealthStatus AssessHealth(const Object& live);
HealthStatus AssessHealth(const Object& live, const HealthRegistry& registry);

// gitopsd does better than waiting for a progress deadline: a workload
// (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job) whose own health is
// Progressing is Degraded as soon as one of its pods is Degraded (crash
// loop, image pull error, failed), with that pod's reason:
// `pod web-7d9c8b6f5b-x2k9p: back-off 40s restarting failed container=web ...`.
// `pods` may be any pods; those in the workload's namespace matching its
// spec.selector count. Other kinds and other states: AssessHealth(live).
HealthStatus AssessHealthWithPods(const Object& live, const ObjectList& pods);

struct ResourceHealth {
  ResId id;
  HealthStatus health;
};

// The app's health from its resources' health (see above). The message
// names up to three resources that set it, e.g.
// `Deployment shop/web: Deployment "web" exceeded its progress deadline`.
HealthStatus AppHealth(const std::vector<ResourceHealth>& resources);

}  // namespace gitopsd::diff
