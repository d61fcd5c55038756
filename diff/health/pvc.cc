// core/PersistentVolumeClaim: by phase.
#include "diff/health/checks.h"

namespace gitopsd::diff::health {

HealthStatus PvcHealth(const Object& obj) {
  std::string phase = GetString(obj, "status.phase");
  if (phase == "Bound") return Healthy();
  if (phase == "Pending") return Progressing("Waiting for the claim to be bound");
  if (phase == "Lost") return Degraded("The claim lost its underlying volume");
  return Unknown(phase.empty() ? "No phase reported" : "Unknown phase \"" + phase + "\"");
}

}  // namespace gitopsd::diff::health
