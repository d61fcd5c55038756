// batch/CronJob (Argo CD's bundled rule): Degraded when the last scheduled
// run has not succeeded and nothing is running any more; otherwise Healthy.
// A CronJob with no status (or an empty one) has simply not been scheduled
// yet: Healthy, so waiting for an app's health does not stall on it.
#include "diff/health/checks.h"

namespace gitopsd::diff::health {

HealthStatus CronJobHealth(const Object& obj) {
  const Object* suspend = FindPath(obj, "spec.suspend");
  if (suspend != nullptr && suspend->is_boolean() && suspend->get<bool>()) {
    return Healthy("CronJob is suspended");
  }
  std::string last_schedule = GetString(obj, "status.lastScheduleTime");
  if (last_schedule.empty()) return Healthy("The CronJob has not been scheduled yet");
  if (NonEmptyList(obj, "status.active")) return Healthy("The CronJob has a running Job");
  std::string last_success = GetString(obj, "status.lastSuccessfulTime");
  if (last_success.empty()) {
    return Healthy("The CronJob's first run has not completed yet");
  }
  // RFC 3339 UTC times of the same shape order as strings.
  if (last_success < last_schedule) {
    return Degraded("CronJob \"" + NameOf(obj) +
                    "\" has not completed its last execution successfully");
  }
  return Healthy();
}

}  // namespace gitopsd::diff::health
