// batch/Job: by its terminal conditions. Unlike Argo CD, a condition counts
// only when its status is "True" (a `Suspended: False` condition left after
// resuming does not end the Job).
#include "diff/health/checks.h"

namespace gitopsd::diff::health {

HealthStatus JobHealth(const Object& obj) {
  auto is_true = [](const Object* c) { return c != nullptr && CondField(*c, "status") == "True"; };
  const Object* failed = FindCondition(obj, "status.conditions", "Failed");
  if (is_true(failed)) {
    std::string m = CondField(*failed, "message");
    return Degraded(m.empty() ? CondField(*failed, "reason") : m);
  }
  const Object* complete = FindCondition(obj, "status.conditions", "Complete");
  if (is_true(complete)) return Healthy(CondField(*complete, "message"));
  const Object* suspended = FindCondition(obj, "status.conditions", "Suspended");
  if (is_true(suspended)) {
    std::string m = CondField(*suspended, "message");
    return Suspended(m.empty() ? "Job is suspended" : m);
  }
  return Progressing("Job is running");
}

}  // namespace gitopsd::diff::health
