// core/Pod: crash-looping containers of long-running pods are Degraded, then
// the phase decides (a finished pod of restartPolicy Never/OnFailure is a
// hook-like run: Progressing until it completes).
#include <optional>
#include <vector>

#include "diff/health/checks.h"

namespace gitopsd::diff::health {
namespace {

bool IsBadWaitReason(const std::string& r) {
  auto ends_with = [&r](std::string_view s) {
    return r.size() >= s.size() && r.compare(r.size() - s.size(), s.size(), s) == 0;
  };
  return r.rfind("Err", 0) == 0 || ends_with("Error") || ends_with("BackOff");
}

std::vector<const Object*> Statuses(const Object& pod, bool with_init) {
  std::vector<const Object*> out;
  for (const char* path : {"status.initContainerStatuses", "status.containerStatuses"}) {
    if (!with_init && std::string_view(path) == "status.initContainerStatuses") continue;
    const Object* list = FindPath(pod, path);
    if (list == nullptr || !list->is_array()) continue;
    for (const auto& s : *list) {
      if (s.is_object()) out.push_back(&s);
    }
  }
  return out;
}

// Degraded message for waiting containers in a bad state, or "" when none.
std::optional<std::string> CrashLoopMessage(const Object& pod) {
  std::string msg;
  bool bad = false;
  for (const Object* s : Statuses(pod, false)) {
    std::string reason = GetString(*s, "state.waiting.reason");
    if (!IsBadWaitReason(reason)) continue;
    bad = true;
    std::string m = GetString(*s, "state.waiting.message");
    if (m.empty()) m = "container \"" + GetString(*s, "name") + "\" is in " + reason;
    msg += (msg.empty() ? "" : ", ") + m;
  }
  return bad ? std::optional<std::string>(msg) : std::nullopt;
}

std::string FailMessage(const Object& pod) {
  std::string m = GetString(pod, "status.message");
  if (!m.empty()) return m;
  for (const Object* s : Statuses(pod, true)) {
    const Object* t = FindPath(*s, "state.terminated");
    if (t == nullptr || !t->is_object()) continue;
    if (std::string tm = GetString(*t, "message"); !tm.empty()) return tm;
    if (GetString(*t, "reason") == "OOMKilled") return "OOMKilled";
    if (int64_t code = Int(*t, "exitCode"); code != 0) {
      return "container \"" + GetString(*s, "name") + "\" failed with exit code " +
             std::to_string(code);
    }
  }
  return "";
}

bool IsReady(const Object& pod) {
  const Object* ready = FindCondition(pod, "status.conditions", "Ready");
  return ready != nullptr && CondField(*ready, "status") == "True";
}

}  // namespace

HealthStatus PodHealth(const Object& obj) {
  std::string policy = GetString(obj, "spec.restartPolicy");
  if (policy.empty()) policy = "Always";
  bool long_running = policy == "Always";
  if (const Object* ann = FindPath(obj, "metadata.annotations"); ann != nullptr && ann->is_object()) {
    auto it = ann->find("argocd.argoproj.io/ignore-restart-policy");
    if (it != ann->end() && *it == "true") long_running = true;
  }
  if (long_running) {
    if (auto m = CrashLoopMessage(obj)) return Degraded(*m);
  }
  std::string phase = GetString(obj, "status.phase");
  std::string message = GetString(obj, "status.message");
  if (phase == "Pending") return Progressing(message);
  if (phase == "Succeeded") return Healthy(message);
  if (phase == "Failed") return Degraded(FailMessage(obj));
  if (phase == "Running") {
    if (policy != "Always") return Progressing(message);
    if (IsReady(obj)) return Healthy(message);
    for (const Object* s : Statuses(obj, false)) {
      const Object* last = FindPath(*s, "lastState.terminated");
      if (last != nullptr && last->is_object()) return Degraded(message);
    }
    return Progressing(message);
  }
  return Unknown(message);
}

}  // namespace gitopsd::diff::health
