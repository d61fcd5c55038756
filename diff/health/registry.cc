#include "diff/health.h"

#include <array>

#include "diff/health/checks.h"

namespace gitopsd::diff {
namespace {

HealthRegistry MakeBuiltin() {
  HealthRegistry r;
  r.Register("apps", "Deployment", health::DeploymentHealth);
  r.Register("apps", "StatefulSet", health::StatefulSetHealth);
  r.Register("apps", "DaemonSet", health::DaemonSetHealth);
  r.Register("apps", "ReplicaSet", health::ReplicaSetHealth);
  r.Register("", "Pod", health::PodHealth);
  r.Register("", "Service", health::ServiceHealth);
  r.Register("", "PersistentVolumeClaim", health::PvcHealth);
  r.Register("networking.k8s.io", "Ingress", health::IngressHealth);
  r.Register("extensions", "Ingress", health::IngressHealth);
  r.Register("batch", "Job", health::JobHealth);
  r.Register("batch", "CronJob", health::CronJobHealth);
  r.Register("autoscaling", "HorizontalPodAutoscaler", health::HpaHealth);
  r.Register("apiregistration.k8s.io", "APIService", health::ApiServiceHealth);
  return r;
}

constexpr std::array<HealthCode, 6> kOrder = {HealthCode::kHealthy,   HealthCode::kSuspended,
                                              HealthCode::kProgressing, HealthCode::kMissing,
                                              HealthCode::kDegraded,  HealthCode::kUnknown};

int Rank(HealthCode c) {
  for (size_t i = 0; i < kOrder.size(); ++i) {
    if (kOrder[i] == c) return static_cast<int>(i);
  }
  return static_cast<int>(kOrder.size());
}

}  // namespace

std::string_view HealthName(HealthCode code) {
  switch (code) {
    case HealthCode::kHealthy: return "Healthy";
    case HealthCode::kSuspended: return "Suspended";
    case HealthCode::kProgressing: return "Progressing";
    case HealthCode::kMissing: return "Missing";
    case HealthCode::kDegraded: return "Degraded";
    case HealthCode::kUnknown: return "Unknown";
  }
  return "Unknown";
}

bool IsWorse(HealthCode a, HealthCode b) { return Rank(a) > Rank(b); }

const HealthRegistry& HealthRegistry::Builtin() {
  static const HealthRegistry kBuiltin = MakeBuiltin();
  return kBuiltin;
}

void HealthRegistry::Register(std::string group, std::string kind, HealthCheck check) {
  checks_[{std::move(group), std::move(kind)}] = std::move(check);
}

const HealthCheck* HealthRegistry::Find(std::string_view group, std::string_view kind) const {
  auto it = checks_.find(std::pair<std::string, std::string>(group, kind));
  return it == checks_.end() ? nullptr : &it->second;
}

HealthStatus AssessHealth(const Object& live) { return AssessHealth(live, HealthRegistry::Builtin()); }

HealthStatus AssessHealth(const Object& live, const HealthRegistry& registry) {
  if (!live.is_object()) return {HealthCode::kMissing, ""};
  const Object* deleting = FindPath(live, "metadata.deletionTimestamp");
  if (deleting != nullptr && !deleting->is_null()) return health::Progressing("Pending deletion");
  ResId id = ResId::Of(live);
  const HealthCheck* check = registry.Find(id.group, id.kind);
  if (check == nullptr) return health::Healthy();
  return (*check)(live);
}

HealthStatus AppHealth(const std::vector<ResourceHealth>& resources) {
  HealthStatus app{HealthCode::kHealthy, ""};
  bool any_live = false;
  for (const auto& r : resources) {
    if (r.health.status == HealthCode::kMissing) continue;
    any_live = true;
    if (IsWorse(r.health.status, app.status)) app.status = r.health.status;
  }
  if (!any_live) app.status = HealthCode::kMissing;
  int named = 0;
  for (const auto& r : resources) {
    if (r.health.status != app.status || named == 3) continue;
    if (app.status == HealthCode::kHealthy) break;
    if (!app.message.empty()) app.message += "; ";
    std::string who = r.id.kind + " " + (r.id.namespace_.empty() ? "" : r.id.namespace_ + "/") + r.id.name;
    app.message += r.health.message.empty() ? who : who + ": " + r.health.message;
    ++named;
  }
  return app;
}

}  // namespace gitopsd::diff
