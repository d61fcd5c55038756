#include "daemon/sync/order.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "daemon/sync/tracking.h"

namespace gitopsd::sync {
namespace {

constexpr std::array<std::string_view, 35> kKindOrder = {
    "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
    "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap",
    "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition",
    "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role",
    "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
    "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
    "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService"};

bool Before(const PlannedObject& a, const PlannedObject& b) {
  if (a.phase != b.phase) return a.phase < b.phase;
  if (a.wave != b.wave) return a.wave < b.wave;
  int ra = KindRank(a.id.kind), rb = KindRank(b.id.kind);
  if (ra != rb) return ra < rb;
  if (a.id.name != b.id.name) return a.id.name < b.id.name;
  return a.id < b.id;  // total order: deterministic output
}

bool IsNamespace(const ResId& id) { return id.group.empty() && id.kind == "Namespace"; }
bool IsCrd(const ResId& id) {
  return id.group == "apiextensions.k8s.io" && id.kind == "CustomResourceDefinition";
}

// Moves each "parent" task (a Namespace, a CRD) that comes after the first
// task it serves to right before that task, inheriting its phase and wave.
template <typename Serves>
void MoveBeforeFirstUser(std::vector<PlannedObject>& tasks, bool (*is_parent)(const ResId&),
                         Serves serves) {
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (!is_parent(tasks[i].id)) continue;
    size_t first = tasks.size();
    for (size_t j = 0; j < tasks.size(); ++j) {
      if (j != i && serves(tasks[i], tasks[j])) {
        first = j;
        break;
      }
    }
    if (first >= i) continue;  // already before every user
    PlannedObject parent = std::move(tasks[i]);
    parent.phase = tasks[first].phase;
    parent.wave = tasks[first].wave;
    tasks.erase(tasks.begin() + static_cast<long>(i));
    tasks.insert(tasks.begin() + static_cast<long>(first), std::move(parent));
  }
}

}  // namespace

std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kPreSync:
      return "PreSync";
    case Phase::kSync:
      return "Sync";
    case Phase::kPostSync:
      return "PostSync";
    case Phase::kSyncFail:
      return "SyncFail";
  }
  return "Sync";
}

int KindRank(std::string_view kind) {
  for (size_t i = 0; i < kKindOrder.size(); ++i) {
    if (kKindOrder[i] == kind) return static_cast<int>(i) + 1;
  }
  return static_cast<int>(kKindOrder.size()) + 1;
}

Result<Phase> PhaseOf(const Object& obj) {
  std::string hook = Annotation(obj, "gitopsd.io/hook");
  if (hook.empty()) hook = Annotation(obj, "argocd.argoproj.io/hook");
  hook = hook.substr(0, hook.find(','));  // several hooks: the first decides
  if (hook.empty() || hook == "Sync" || hook == "Skip") return Phase::kSync;
  if (hook == "PreSync") return Phase::kPreSync;
  if (hook == "PostSync") return Phase::kPostSync;
  if (hook == "SyncFail") return Phase::kSyncFail;
  return InvalidArgument(ResId::Of(obj).ToString() + ": unknown hook \"" + hook + "\"");
}

Result<int> WaveOf(const Object& obj) {
  std::string wave = Annotation(obj, "gitopsd.io/sync-wave");
  if (wave.empty()) wave = Annotation(obj, "argocd.argoproj.io/sync-wave");
  if (wave.empty()) return 0;
  int value = 0;
  auto [end, ec] = std::from_chars(wave.data(), wave.data() + wave.size(), value);
  if (ec != std::errc() || end != wave.data() + wave.size()) {
    return InvalidArgument(ResId::Of(obj).ToString() + ": sync-wave \"" + wave +
                           "\" is not an integer");
  }
  return value;
}

Result<std::vector<PlannedObject>> OrderForApply(const ObjectList& objects) {
  std::vector<PlannedObject> tasks;
  tasks.reserve(objects.size());
  for (const Object& obj : objects) {
    PlannedObject t;
    t.id = ResId::Of(obj);
    t.object = obj;
    ASSIGN_OR_RETURN(t.phase, PhaseOf(obj));
    ASSIGN_OR_RETURN(t.wave, WaveOf(obj));
    tasks.push_back(std::move(t));
  }
  std::stable_sort(tasks.begin(), tasks.end(), Before);
  MoveBeforeFirstUser(tasks, IsNamespace, [](const PlannedObject& ns, const PlannedObject& t) {
    return t.id.namespace_ == ns.id.name;
  });
  MoveBeforeFirstUser(tasks, IsCrd, [](const PlannedObject& crd, const PlannedObject& t) {
    return t.id.group == GetString(crd.object, "spec.group") &&
           t.id.kind == GetString(crd.object, "spec.names.kind");
  });
  return tasks;
}

Result<std::vector<PlannedObject>> OrderForPrune(const ObjectList& objects) {
  ASSIGN_OR_RETURN(auto tasks, OrderForApply(objects));
  std::reverse(tasks.begin(), tasks.end());
  return tasks;
}

}  // namespace gitopsd::sync
