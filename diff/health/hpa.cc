// autoscaling/HorizontalPodAutoscaler: conditions from status.conditions
// (v2) or the autoscaling.alpha.kubernetes.io/conditions annotation (v1).
#include <array>
#include <utility>

#include "diff/health/checks.h"

namespace gitopsd::diff::health {
namespace {

Object Conditions(const Object& obj) {
  const Object* list = FindPath(obj, "status.conditions");
  if (list != nullptr && list->is_array()) return *list;
  const Object* ann = FindPath(obj, "metadata.annotations");
  if (ann != nullptr && ann->is_object()) {
    auto it = ann->find("autoscaling.alpha.kubernetes.io/conditions");
    if (it != ann->end() && it->is_string()) {
      Object parsed = Object::parse(it->get<std::string>(), nullptr, false);
      if (parsed.is_array()) return parsed;
    }
  }
  return Object::array();
}

bool IsDegradedCondition(const std::string& type, const std::string& reason) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kBad = {{
      {"AbleToScale", "FailedGetScale"},
      {"AbleToScale", "FailedUpdateScale"},
      {"ScalingActive", "FailedGetResourceMetric"},
      {"ScalingActive", "FailedGetObjectMetric"},
      {"ScalingActive", "FailedGetPodsMetric"},
      {"ScalingActive", "FailedGetExternalMetric"},
      {"ScalingActive", "FailedComputeMetricsReplicas"},
      {"ScalingActive", "InvalidSelector"},
  }};
  for (const auto& [t, r] : kBad) {
    if (type == t && reason == r) return true;
  }
  return false;
}

}  // namespace

HealthStatus HpaHealth(const Object& obj) {
  Object conditions = Conditions(obj);
  for (const auto& c : conditions) {
    if (!c.is_object()) continue;
    if (IsDegradedCondition(CondField(c, "type"), CondField(c, "reason"))) {
      return Degraded(CondField(c, "message"));
    }
  }
  for (const auto& c : conditions) {
    if (!c.is_object()) continue;
    std::string type = CondField(c, "type");
    if ((type == "AbleToScale" || type == "ScalingLimited") && CondField(c, "status") == "True") {
      return Healthy(CondField(c, "message"));
    }
  }
  return Progressing("Waiting to Autoscale");
}

}  // namespace gitopsd::diff::health
