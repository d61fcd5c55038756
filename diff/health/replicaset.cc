// apps/ReplicaSet: once its generation is observed, a ReplicaFailure
// condition is Degraded, missing available replicas Progressing.
#include "diff/health/checks.h"

namespace gitopsd::diff::health {

HealthStatus ReplicaSetHealth(const Object& obj) {
  if (Int(obj, "metadata.generation") > Int(obj, "status.observedGeneration")) {
    return Progressing(
        "Waiting for rollout to finish: observed replica set generation less than desired generation");
  }
  const Object* failure = FindCondition(obj, "status.conditions", "ReplicaFailure");
  if (failure != nullptr && CondField(*failure, "status") == "True") {
    return Degraded(CondField(*failure, "message"));
  }
  int64_t want = Int(obj, "spec.replicas", 1);
  int64_t available = Int(obj, "status.availableReplicas");
  if (available < want) {
    return Progressing("Waiting for rollout to finish: " + std::to_string(available) + " out of " +
                       std::to_string(want) + " new replicas are available...");
  }
  return Healthy();
}

}  // namespace gitopsd::diff::health
