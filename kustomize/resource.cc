#include "kustomize/resource.h"

#include <algorithm>
#include <array>

namespace gitopsd::kustomize {
namespace {

struct GroupKind {
  std::string_view group, kind;
};

// Built-in cluster-scoped kinds (Kubernetes 1.32 API), by group and kind.
constexpr std::array kClusterScoped = {
    GroupKind{"", "Namespace"},
    GroupKind{"", "Node"},
    GroupKind{"", "PersistentVolume"},
    GroupKind{"", "ComponentStatus"},
    GroupKind{"apiextensions.k8s.io", "CustomResourceDefinition"},
    GroupKind{"apiregistration.k8s.io", "APIService"},
    GroupKind{"rbac.authorization.k8s.io", "ClusterRole"},
    GroupKind{"rbac.authorization.k8s.io", "ClusterRoleBinding"},
    GroupKind{"storage.k8s.io", "StorageClass"},
    GroupKind{"storage.k8s.io", "CSIDriver"},
    GroupKind{"storage.k8s.io", "CSINode"},
    GroupKind{"storage.k8s.io", "VolumeAttachment"},
    GroupKind{"storage.k8s.io", "VolumeAttributesClass"},
    GroupKind{"scheduling.k8s.io", "PriorityClass"},
    GroupKind{"policy", "PodSecurityPolicy"},
    GroupKind{"extensions", "PodSecurityPolicy"},
    GroupKind{"node.k8s.io", "RuntimeClass"},
    GroupKind{"networking.k8s.io", "IngressClass"},
    GroupKind{"networking.k8s.io", "IPAddress"},
    GroupKind{"networking.k8s.io", "ServiceCIDR"},
    GroupKind{"admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
    GroupKind{"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"},
    GroupKind{"admissionregistration.k8s.io", "ValidatingAdmissionPolicy"},
    GroupKind{"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"},
    GroupKind{"admissionregistration.k8s.io", "MutatingAdmissionPolicy"},
    GroupKind{"admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"},
    GroupKind{"certificates.k8s.io", "CertificateSigningRequest"},
    GroupKind{"certificates.k8s.io", "ClusterTrustBundle"},
    GroupKind{"flowcontrol.apiserver.k8s.io", "FlowSchema"},
    GroupKind{"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"},
    GroupKind{"authentication.k8s.io", "TokenReview"},
    GroupKind{"authentication.k8s.io", "SelfSubjectReview"},
    GroupKind{"authorization.k8s.io", "SelfSubjectAccessReview"},
    GroupKind{"authorization.k8s.io", "SelfSubjectRulesReview"},
    GroupKind{"authorization.k8s.io", "SubjectAccessReview"},
    GroupKind{"internal.apiserver.k8s.io", "StorageVersion"},
    GroupKind{"resource.k8s.io", "DeviceClass"},
};

}  // namespace

bool IsClusterScoped(std::string_view group, std::string_view kind) {
  for (const auto& gk : kClusterScoped) {
    if (gk.kind == kind && gk.group == group) return true;
  }
  return false;
}

std::string EffectiveNamespace(const ResId& id) {
  if (IsClusterScoped(id.group, id.kind)) return "_non_namespaceable_";
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
  if (!IsClusterScoped(id.group, id.kind) && id.namespace_.empty()) id.namespace_ = "default";
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
