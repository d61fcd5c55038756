// networking.k8s.io|extensions/Ingress: Healthy once the controller
// published an address in status.loadBalancer.ingress.
#include "diff/health/checks.h"

namespace gitopsd::diff::health {

HealthStatus IngressHealth(const Object& obj) {
  if (NonEmptyList(obj, "status.loadBalancer.ingress")) return Healthy();
  return Progressing("Waiting for the ingress controller to publish an address");
}

}  // namespace gitopsd::diff::health
