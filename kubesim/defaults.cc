// The defaulting registry (kind -> function) and the generation rules.
#include "kubesim/defaults.h"

#include <string_view>

#include "core/k8s_schema.h"
#include "core/managed_fields_ops.h"
#include "kubesim/internal/ssa_defaults.h"

namespace gitopsd::kubesim {
namespace {

using DefaultFn = void (*)(Object&, const DefaultsContext&);

struct Registration {
  std::string_view group;
  std::string_view kind;
  DefaultFn fn;
};

void DefaultPodTemplateKind(Object& obj, const DefaultsContext&) {
  if (Object* tmpl = internal::ObjectAt(obj, "template")) internal::DefaultPodTemplate(*tmpl, true);
}

constexpr Registration kRegistry[] = {
    {"", "Pod", internal::DefaultPod},
    {"", "PodTemplate", DefaultPodTemplateKind},
    {"", "Service", internal::DefaultService},
    {"", "Secret", internal::DefaultSecret},
    {"", "Namespace", internal::DefaultNamespace},
    {"", "PersistentVolumeClaim", internal::DefaultPersistentVolumeClaim},
    {"apps", "Deployment", internal::DefaultDeployment},
    {"apps", "ReplicaSet", internal::DefaultReplicaSet},
    {"apps", "StatefulSet", internal::DefaultStatefulSet},
    {"apps", "DaemonSet", internal::DefaultDaemonSet},
    {"batch", "Job", internal::DefaultJob},
    {"batch", "CronJob", internal::DefaultCronJob},
    {"networking.k8s.io", "Ingress", internal::DefaultIngress},
    {"networking.k8s.io", "NetworkPolicy", internal::DefaultNetworkPolicy},
    {"rbac.authorization.k8s.io", "RoleBinding", internal::DefaultRoleBinding},
    {"rbac.authorization.k8s.io", "ClusterRoleBinding", internal::DefaultRoleBinding},
};

// Built-in kinds whose generation follows `spec` (§7.2).
constexpr std::pair<std::string_view, std::string_view> kSpecGenerationKinds[] = {
    {"apps", "Deployment"},
    {"apps", "ReplicaSet"},
    {"apps", "StatefulSet"},
    {"apps", "DaemonSet"},
    {"batch", "Job"},
    {"batch", "CronJob"},
    {"networking.k8s.io", "Ingress"},
    {"networking.k8s.io", "NetworkPolicy"},
    {"policy", "PodDisruptionBudget"},
    {"apiextensions.k8s.io", "CustomResourceDefinition"},
};

std::string GroupOf(const Object& obj) {
  std::string api_version = ApiVersionOf(obj);
  size_t slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

bool IsCustomResource(const Object& obj) { return !k8s::IsNamespaced(GroupOf(obj), KindOf(obj)).has_value(); }

bool SameAt(const Object& a, const Object& b, std::string_view dotted) {
  const Object* x = FindPath(a, dotted);
  const Object* y = FindPath(b, dotted);
  bool x_empty = x == nullptr || x->is_null();
  bool y_empty = y == nullptr || y->is_null();
  if (x_empty || y_empty) return x_empty == y_empty;
  return ValuesEqual(*x, *y);
}

}  // namespace

void ApplyDefaults(Object& obj, const DefaultsContext& context) {
  if (!obj.is_object()) return;
  std::string group = GroupOf(obj);
  std::string kind = KindOf(obj);
  for (const Registration& r : kRegistry) {
    if (r.group == group && r.kind == kind) r.fn(obj, context);
  }
}

bool TracksGeneration(const Object& obj) {
  std::string group = GroupOf(obj);
  std::string kind = KindOf(obj);
  for (const auto& [g, k] : kSpecGenerationKinds) {
    if (g == group && k == kind) return true;
  }
  return IsCustomResource(obj);
}

bool BumpsGeneration(const Object& old_obj, const Object& new_obj, const WriteScope& scope) {
  if (scope.subresource == "status" || !TracksGeneration(new_obj)) return false;
  if (IsCustomResource(new_obj)) {
    auto content = [&](const Object& o) {
      Object c = o;
      c.erase("metadata");
      if (scope.status_is_subresource) c.erase("status");
      return c;
    };
    return !ValuesEqual(content(old_obj), content(new_obj));
  }
  if (!SameAt(old_obj, new_obj, "spec")) return true;
  return KindOf(new_obj) == "Deployment" && !SameAt(old_obj, new_obj, "metadata.annotations");
}

}  // namespace gitopsd::kubesim
