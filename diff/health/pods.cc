// Workload health refined by the health of its pods (see AssessHealthWithPods
// in diff/health.h).
#include "core/label_selector.h"
#include "diff/health.h"
#include "diff/health/checks.h"

namespace gitopsd::diff {
namespace {

bool IsWorkload(const ResId& id) {
  if (id.group == "apps") {
    return id.kind == "Deployment" || id.kind == "StatefulSet" || id.kind == "DaemonSet" ||
           id.kind == "ReplicaSet";
  }
  return id.group == "batch" && id.kind == "Job";
}

}  // namespace

HealthStatus AssessHealthWithPods(const Object& live, const ObjectList& pods) {
  HealthStatus own = AssessHealth(live);
  if (own.status != HealthCode::kProgressing || !IsWorkload(ResId::Of(live))) return own;
  if (FindPath(live, "metadata.deletionTimestamp") != nullptr) return own;
  const Object* sel = FindPath(live, "spec.selector");
  if (sel == nullptr || !sel->is_object()) return own;
  auto selector = LabelSelector::FromObject(*sel);
  if (!selector.ok() || selector->Empty()) return own;
  std::string ns = NamespaceOf(live);
  for (const Object& pod : pods) {
    if (ApiVersionOf(pod) != "v1" || KindOf(pod) != "Pod" || NamespaceOf(pod) != ns) continue;
    if (!selector->MatchesObjectLabels(pod)) continue;
    HealthStatus h = AssessHealth(pod);
    if (h.status != HealthCode::kDegraded) continue;
    std::string why = "pod " + NameOf(pod) + (h.message.empty() ? " is degraded" : ": " + h.message);
    return {HealthCode::kDegraded, why};
  }
  return own;
}

}  // namespace gitopsd::diff
