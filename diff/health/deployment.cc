// apps/Deployment: the rollout logic of `kubectl rollout status`, with a
// paused Deployment Suspended and a passed progress deadline Degraded.
#include "diff/health/checks.h"

namespace gitopsd::diff::health {

HealthStatus DeploymentHealth(const Object& obj) {
  const Object* paused = FindPath(obj, "spec.paused");
  if (paused != nullptr && paused->is_boolean() && paused->get<bool>()) {
    return Suspended("Deployment is paused");
  }
  if (Int(obj, "metadata.generation") > Int(obj, "status.observedGeneration")) {
    return Progressing(
        "Waiting for rollout to finish: observed deployment generation less than desired generation");
  }
  const Object* cond = FindCondition(obj, "status.conditions", "Progressing");
  if (cond != nullptr && CondField(*cond, "reason") == "ProgressDeadlineExceeded") {
    return Degraded("Deployment \"" + NameOf(obj) + "\" exceeded its progress deadline");
  }
  int64_t want = Int(obj, "spec.replicas", 1);
  int64_t updated = Int(obj, "status.updatedReplicas");
  int64_t total = Int(obj, "status.replicas");
  int64_t available = Int(obj, "status.availableReplicas");
  if (updated < want) {
    return Progressing("Waiting for rollout to finish: " + std::to_string(updated) + " out of " +
                       std::to_string(want) + " new replicas have been updated...");
  }
  if (total > updated) {
    return Progressing("Waiting for rollout to finish: " + std::to_string(total - updated) +
                       " old replicas are pending termination...");
  }
  if (available < updated) {
    return Progressing("Waiting for rollout to finish: " + std::to_string(available) + " of " +
                       std::to_string(updated) + " updated replicas are available...");
  }
  return Healthy();
}

}  // namespace gitopsd::diff::health
