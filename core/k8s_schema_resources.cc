// Built-in kinds: scope of every upstream kind, and the resources the API
// simulator serves (kube-api-contract.md §3.3), from the API reference.
#include "core/k8s_schema.h"

#include <cctype>

namespace gitopsd::k8s {
namespace {

struct KindScope {
  const char* group;
  const char* kind;
  bool namespaced;
};

constexpr KindScope kKinds[] = {
    // core
    {"", "Pod", true}, {"", "Service", true}, {"", "ConfigMap", true}, {"", "Secret", true},
    {"", "ServiceAccount", true}, {"", "Endpoints", true}, {"", "Event", true},
    {"", "LimitRange", true}, {"", "ResourceQuota", true}, {"", "PersistentVolumeClaim", true},
    {"", "PodTemplate", true}, {"", "ReplicationController", true}, {"", "Binding", true},
    {"", "Namespace", false}, {"", "Node", false}, {"", "PersistentVolume", false},
    {"", "ComponentStatus", false},
    // apps, batch, autoscaling, policy
    {"apps", "Deployment", true}, {"apps", "ReplicaSet", true}, {"apps", "StatefulSet", true},
    {"apps", "DaemonSet", true}, {"apps", "ControllerRevision", true},
    {"extensions", "Deployment", true}, {"extensions", "ReplicaSet", true},
    {"extensions", "DaemonSet", true}, {"extensions", "Ingress", true},
    {"extensions", "NetworkPolicy", true}, {"extensions", "PodSecurityPolicy", false},
    {"batch", "Job", true}, {"batch", "CronJob", true},
    {"autoscaling", "HorizontalPodAutoscaler", true}, {"autoscaling", "Scale", true},
    {"policy", "PodDisruptionBudget", true}, {"policy", "PodSecurityPolicy", false},
    {"policy", "Eviction", true},
    // networking, discovery, coordination, events
    {"networking.k8s.io", "Ingress", true}, {"networking.k8s.io", "NetworkPolicy", true},
    {"networking.k8s.io", "IngressClass", false}, {"networking.k8s.io", "IPAddress", false},
    {"networking.k8s.io", "ServiceCIDR", false},
    {"discovery.k8s.io", "EndpointSlice", true}, {"coordination.k8s.io", "Lease", true},
    {"events.k8s.io", "Event", true},
    // rbac, auth
    {"rbac.authorization.k8s.io", "Role", true}, {"rbac.authorization.k8s.io", "RoleBinding", true},
    {"rbac.authorization.k8s.io", "ClusterRole", false},
    {"rbac.authorization.k8s.io", "ClusterRoleBinding", false},
    {"authentication.k8s.io", "TokenReview", false},
    {"authentication.k8s.io", "SelfSubjectReview", false},
    {"authorization.k8s.io", "SubjectAccessReview", false},
    {"authorization.k8s.io", "SelfSubjectAccessReview", false},
    {"authorization.k8s.io", "SelfSubjectRulesReview", false},
    {"authorization.k8s.io", "LocalSubjectAccessReview", true},
    {"certificates.k8s.io", "CertificateSigningRequest", false},
    {"certificates.k8s.io", "ClusterTrustBundle", false},
    // storage, scheduling, node, admission, extension APIs
    {"storage.k8s.io", "StorageClass", false}, {"storage.k8s.io", "VolumeAttachment", false},
    {"storage.k8s.io", "CSIDriver", false}, {"storage.k8s.io", "CSINode", false},
    {"storage.k8s.io", "CSIStorageCapacity", true},
    {"storage.k8s.io", "VolumeAttributesClass", false},
    {"scheduling.k8s.io", "PriorityClass", false}, {"node.k8s.io", "RuntimeClass", false},
    {"admissionregistration.k8s.io", "MutatingWebhookConfiguration", false},
    {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration", false},
    {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy", false},
    {"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", false},
    {"admissionregistration.k8s.io", "MutatingAdmissionPolicy", false},
    {"admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding", false},
    {"apiextensions.k8s.io", "CustomResourceDefinition", false},
    {"apiregistration.k8s.io", "APIService", false},
    {"flowcontrol.apiserver.k8s.io", "FlowSchema", false},
    {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", false},
    {"internal.apiserver.k8s.io", "StorageVersion", false},
    {"resource.k8s.io", "ResourceClaim", true}, {"resource.k8s.io", "ResourceClaimTemplate", true},
    {"resource.k8s.io", "DeviceClass", false}, {"resource.k8s.io", "ResourceSlice", false},
};

const std::vector<std::string> kAllVerbs = {"create", "delete", "deletecollection", "get",
                                            "list",   "patch",  "update",           "watch"};

ResourceInfo R(const char* group, const char* version, const char* kind, const char* plural,
               bool namespaced, std::vector<std::string> short_names,
               std::vector<std::string> categories, std::vector<std::string> subresources,
               bool required = true) {
  ResourceInfo r;
  r.group = group;
  r.version = version;
  r.kind = kind;
  r.plural = plural;
  r.singular = r.kind;
  for (auto& c : r.singular) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  r.namespaced = namespaced;
  r.short_names = std::move(short_names);
  r.categories = std::move(categories);
  r.verbs = kAllVerbs;
  r.subresources = std::move(subresources);
  r.required = required;
  return r;
}

std::vector<ResourceInfo> MakeResources() {
  const std::vector<std::string> all = {"all"};
  std::vector<ResourceInfo> v = {
      R("", "v1", "Namespace", "namespaces", false, {"ns"}, {}, {"status", "finalize"}),
      R("", "v1", "ConfigMap", "configmaps", true, {"cm"}, {}, {}),
      R("", "v1", "Secret", "secrets", true, {}, {}, {}),
      R("", "v1", "Service", "services", true, {"svc"}, all, {"status"}),
      R("", "v1", "ServiceAccount", "serviceaccounts", true, {"sa"}, {}, {}),
      R("", "v1", "Pod", "pods", true, {"po"}, all, {"status"}),
      R("", "v1", "Event", "events", true, {"ev"}, {}, {}),
      R("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, {"pvc"}, {}, {"status"},
        false),
      R("", "v1", "Endpoints", "endpoints", true, {"ep"}, {}, {}, false),
      R("", "v1", "Node", "nodes", false, {"no"}, {}, {"status"}, false),
      R("", "v1", "LimitRange", "limitranges", true, {"limits"}, {}, {}, false),
      R("", "v1", "ResourceQuota", "resourcequotas", true, {"quota"}, {}, {"status"}, false),
      R("apps", "v1", "Deployment", "deployments", true, {"deploy"}, all, {"scale", "status"}),
      R("apps", "v1", "ReplicaSet", "replicasets", true, {"rs"}, all, {"scale", "status"}),
      R("apps", "v1", "StatefulSet", "statefulsets", true, {"sts"}, all, {"scale", "status"}),
      R("apps", "v1", "DaemonSet", "daemonsets", true, {"ds"}, all, {"status"}),
      R("apps", "v1", "ControllerRevision", "controllerrevisions", true, {}, {}, {}, false),
      R("batch", "v1", "Job", "jobs", true, {}, all, {"status"}),
      R("batch", "v1", "CronJob", "cronjobs", true, {"cj"}, all, {"status"}),
      R("networking.k8s.io", "v1", "Ingress", "ingresses", true, {"ing"}, {}, {"status"}),
      R("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, {"netpol"}, {}, {},
        false),
      R("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false, {}, {}, {}, false),
      R("rbac.authorization.k8s.io", "v1", "Role", "roles", true, {}, {}, {}),
      R("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, {}, {}, {}),
      R("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, {}, {}, {}),
      R("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, {},
        {}, {}),
      R("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false,
        {"crd", "crds"}, {"api-extensions"}, {"status"}),
      R("coordination.k8s.io", "v1", "Lease", "leases", true, {}, {}, {}),
      R("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, {"pdb"}, {},
        {"status"}, false),
      R("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, {"hpa"},
        all, {"status"}, false),
      R("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, {"sc"}, {}, {}, false),
  };
  // Namespace deletecollection is not served upstream.
  v[0].verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
  return v;
}

}  // namespace

void AddBuiltinKindNames(Schema& s) {
  for (const auto& k : kKinds) s.SetKindType(k.group, k.kind, "Plain");
}

const std::vector<ResourceInfo>& BuiltinResources() {
  static const std::vector<ResourceInfo> kResources = MakeResources();
  return kResources;
}

const ResourceInfo* FindBuiltinResource(std::string_view group, std::string_view kind) {
  for (const auto& r : BuiltinResources()) {
    if (r.group == group && r.kind == kind) return &r;
  }
  return nullptr;
}

std::optional<bool> IsNamespaced(std::string_view group, std::string_view kind) {
  for (const auto& k : kKinds) {
    if (group == k.group && kind == k.kind) return k.namespaced;
  }
  return std::nullopt;
}

}  // namespace gitopsd::k8s
