// apiregistration.k8s.io/APIService: by its Available condition.
#include "diff/health/checks.h"

namespace gitopsd::diff::health {

HealthStatus ApiServiceHealth(const Object& obj) {
  const Object* available = FindCondition(obj, "status.conditions", "Available");
  if (available == nullptr) return Progressing("Waiting to be processed");
  std::string message = CondField(*available, "message");
  if (CondField(*available, "status") == "True") return Healthy(message);
  return Progressing(message.empty() ? CondField(*available, "reason") : message);
}

}  // namespace gitopsd::diff::health
