#include "kustomize/resource.h"

#include <algorithm>
#include <array>

namespace gitopsd::kustomize {
namespace {

// Cluster-scoped kinds as Kustomize v5.5.0 knows them: the (apiVersion,
// kind) pairs its built-in OpenAPI schema (Kubernetes v1.21.2) lists without
// a namespace. The match is exact: a kind under another apiVersion (or with
// none) is namespaceable, e.g. admissionregistration.k8s.io/v1
// ValidatingAdmissionPolicy (newer than that schema) gets a namespace.
struct ApiVersionKind {
  std::string_view api_version, kind;
};

constexpr std::array kClusterScoped = {
    ApiVersionKind{"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"},
    ApiVersionKind{"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"},
    ApiVersionKind{"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"},
    ApiVersionKind{"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"},
    ApiVersionKind{"apiextensions.k8s.io/v1", "CustomResourceDefinition"},
    ApiVersionKind{"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"},
    ApiVersionKind{"apiregistration.k8s.io/v1", "APIService"},
    ApiVersionKind{"apiregistration.k8s.io/v1beta1", "APIService"},
    ApiVersionKind{"certificates.k8s.io/v1", "CertificateSigningRequest"},
    ApiVersionKind{"certificates.k8s.io/v1beta1", "CertificateSigningRequest"},
    ApiVersionKind{"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"},
    ApiVersionKind{"flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"},
    ApiVersionKind{"networking.k8s.io/v1", "IngressClass"},
    ApiVersionKind{"networking.k8s.io/v1beta1", "IngressClass"},
    ApiVersionKind{"node.k8s.io/v1", "RuntimeClass"},
    ApiVersionKind{"node.k8s.io/v1beta1", "RuntimeClass"},
    ApiVersionKind{"policy/v1beta1", "PodSecurityPolicy"},
    ApiVersionKind{"rbac.authorization.k8s.io/v1", "ClusterRole"},
    ApiVersionKind{"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
    ApiVersionKind{"rbac.authorization.k8s.io/v1beta1", "ClusterRole"},
    ApiVersionKind{"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"},
    ApiVersionKind{"scheduling.k8s.io/v1", "PriorityClass"},
    ApiVersionKind{"scheduling.k8s.io/v1beta1", "PriorityClass"},
    ApiVersionKind{"storage.k8s.io/v1", "CSIDriver"},
    ApiVersionKind{"storage.k8s.io/v1", "CSINode"},
    ApiVersionKind{"storage.k8s.io/v1", "StorageClass"},
    ApiVersionKind{"storage.k8s.io/v1", "VolumeAttachment"},
    ApiVersionKind{"storage.k8s.io/v1beta1", "CSIDriver"},
    ApiVersionKind{"storage.k8s.io/v1beta1", "CSINode"},
    ApiVersionKind{"storage.k8s.io/v1beta1", "StorageClass"},
    ApiVersionKind{"storage.k8s.io/v1beta1", "VolumeAttachment"},
    ApiVersionKind{"v1", "ComponentStatus"},
    ApiVersionKind{"v1", "Namespace"},
    ApiVersionKind{"v1", "Node"},
    ApiVersionKind{"v1", "NodeProxyOptions"},
    ApiVersionKind{"v1", "PersistentVolume"},
};

}  // namespace

bool IsClusterScoped(std::string_view group, std::string_view version, std::string_view kind) {
  for (const auto& avk : kClusterScoped) {
    if (avk.kind != kind) continue;
    std::string_view av = avk.api_version;
    size_t slash = av.find('/');
    std::string_view g = slash == std::string_view::npos ? std::string_view() : av.substr(0, slash);
    std::string_view v = slash == std::string_view::npos ? av : av.substr(slash + 1);
    if (g == group && v == version) return true;
  }
  return false;
}

std::string EffectiveNamespace(const ResId& id) {
  if (IsClusterScoped(id.group, id.version, id.kind)) return "_non_namespaceable_";
  if (id.namespace_.empty()) return "default";
  return id.namespace_;
}

bool SameNamespace(const ResId& a, const ResId& b) {
  return EffectiveNamespace(a) == EffectiveNamespace(b);
}

bool SameId(const ResId& a, const ResId& b) {
  return a.group == b.group && a.version == b.version && a.kind == b.kind && a.name == b.name &&
         SameNamespace(a, b);
}

std::string IdString(const ResId& id) {
  auto or_default = [](const std::string& s, const char* d) { return s.empty() ? d : s; };
  return or_default(id.kind, "~K") + "." + or_default(id.version, "~V") + "." +
         or_default(id.group, "~G") + "|" + or_default(id.name, "~N") + "." +
         or_default(id.namespace_, "~X");
}

void Resource::StorePreviousId() {
  ResId id = CurId();
  // Kustomize records the effective namespace ("default" for none).
  if (!IsClusterScoped(id.group, id.version, id.kind) && id.namespace_.empty()) id.namespace_ = "default";
  prev_ids.push_back(std::move(id));
}

void Resource::SetName(const std::string& name) {
  if (!obj.is_object()) return;
  obj["metadata"]["name"] = name;
}

void Resource::SetNamespace(const std::string& ns) {
  if (!obj.is_object()) return;
  Object& meta = obj["metadata"];
  if (ns.empty()) {
    if (meta.is_object()) meta.erase("namespace");
    return;
  }
  meta["namespace"] = ns;
}

int FindByCurrentId(const ResourceList& list, const ResId& id) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (SameId(list[i].CurId(), id)) return static_cast<int>(i);
  }
  return -1;
}

std::vector<int> FindByAnyId(const ResourceList& list, const ResId& id) {
  std::vector<int> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const Resource& r = list[i];
    bool match = SameId(r.CurId(), id);
    for (size_t j = 0; !match && j < r.prev_ids.size(); ++j) match = SameId(r.prev_ids[j], id);
    if (match) out.push_back(static_cast<int>(i));
  }
  return out;
}

Status AppendUnique(ResourceList& list, Resource res) {
  ResId id = res.CurId();
  if (FindByCurrentId(list, id) >= 0) {
    return AlreadyExists("may not add resource with an already registered id: " + IdString(id));
  }
  list.push_back(std::move(res));
  return Status::Ok();
}

Object& MetadataMap(Object& obj, const char* field) {
  Object& meta = obj["metadata"];
  if (!meta.is_object()) meta = Object::object();
  Object& m = meta[field];
  if (!m.is_object()) m = Object::object();
  return m;
}

}  // namespace gitopsd::kustomize
