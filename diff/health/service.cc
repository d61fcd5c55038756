// core/Service: a LoadBalancer is Healthy once it has an ingress point.
#include "diff/health/checks.h"

namespace gitopsd::diff::health {

HealthStatus ServiceHealth(const Object& obj) {
  if (GetString(obj, "spec.type") != "LoadBalancer") return Healthy();
  if (NonEmptyList(obj, "status.loadBalancer.ingress")) return Healthy();
  return Progressing("Waiting for the load balancer to get an address");
}

}  // namespace gitopsd::diff::health
