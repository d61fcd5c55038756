// apps/StatefulSet: observed generation, ready replicas, then the update
// strategy (partitioned rolling update, OnDelete, revisions).
#include "diff/health/checks.h"

namespace gitopsd::diff::health {

HealthStatus StatefulSetHealth(const Object& obj) {
  int64_t observed = Int(obj, "status.observedGeneration");
  if (observed == 0 || Int(obj, "metadata.generation") > observed) {
    return Progressing("Waiting for statefulset spec update to be observed...");
  }
  int64_t want = Int(obj, "spec.replicas", 1);
  int64_t ready = Int(obj, "status.readyReplicas");
  int64_t updated = Int(obj, "status.updatedReplicas");
  if (ready < want) {
    return Progressing("Waiting for " + std::to_string(want - ready) + " pods to be ready...");
  }
  std::string type = GetString(obj, "spec.updateStrategy.type");
  const Object* rolling = FindPath(obj, "spec.updateStrategy.rollingUpdate");
  if ((type.empty() || type == "RollingUpdate") && rolling != nullptr && rolling->is_object()) {
    const Object* partition = FindPath(*rolling, "partition");
    if (partition != nullptr && partition->is_number()) {
      int64_t target = want - Int(*rolling, "partition");
      if (updated < target) {
        return Progressing("Waiting for partitioned roll out to finish: " + std::to_string(updated) +
                           " out of " + std::to_string(target) + " new pods have been updated...");
      }
    }
    return Healthy("partitioned roll out complete: " + std::to_string(updated) +
                   " new pods have been updated...");
  }
  if (type == "OnDelete") return Healthy("statefulset has " + std::to_string(ready) + " ready pods");
  std::string update_rev = GetString(obj, "status.updateRevision");
  std::string current_rev = GetString(obj, "status.currentRevision");
  if (update_rev != current_rev) {
    return Progressing("waiting for statefulset rolling update to complete " +
                       std::to_string(updated) + " pods at revision " + update_rev + "...");
  }
  return Healthy("statefulset rolling update complete " +
                 std::to_string(Int(obj, "status.currentReplicas")) + " pods at revision " +
                 current_rev + "...");
}

}  // namespace gitopsd::diff::health
