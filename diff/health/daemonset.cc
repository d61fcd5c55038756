// apps/DaemonSet: observed generation, then scheduled/updated/available pods.
#include "diff/health/checks.h"

namespace gitopsd::diff::health {

HealthStatus DaemonSetHealth(const Object& obj) {
  if (Int(obj, "metadata.generation") > Int(obj, "status.observedGeneration")) {
    return Progressing(
        "Waiting for rollout to finish: observed daemon set generation less than desired generation");
  }
  int64_t desired = Int(obj, "status.desiredNumberScheduled");
  int64_t updated = Int(obj, "status.updatedNumberScheduled");
  int64_t available = Int(obj, "status.numberAvailable");
  if (GetString(obj, "spec.updateStrategy.type") == "OnDelete") {
    return Healthy("daemon set " + std::to_string(updated) + " out of " + std::to_string(desired) +
                   " new pods have been updated");
  }
  std::string name = "\"" + NameOf(obj) + "\"";
  if (updated < desired) {
    return Progressing("Waiting for daemon set " + name + " rollout to finish: " +
                       std::to_string(updated) + " out of " + std::to_string(desired) +
                       " new pods have been updated...");
  }
  if (available < desired) {
    return Progressing("Waiting for daemon set " + name + " rollout to finish: " +
                       std::to_string(available) + " of " + std::to_string(desired) +
                       " updated pods are available...");
  }
  return Healthy();
}

}  // namespace gitopsd::diff::health
