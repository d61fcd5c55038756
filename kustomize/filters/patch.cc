// Patches: `patches` (strategic merge or JSON 6902, inline or from a file,
// with an optional target selector), `patchesStrategicMerge` and
// `patchesJson6902`, applied with core/patch.h in Kustomize's flavour.
#include <unordered_set>

#include "core/patch.h"
#include "core/yaml.h"
#include "kustomize/filters/filters.h"
#include "kustomize/filters/select.h"

namespace gitopsd::kustomize {
namespace {

std::string TrimSpace(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

// Parses JSON 6902 operations from JSON or YAML text; nullopt when the text
// is not a list of operations.
std::optional<Object> ParseJsonOps(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto doc = ParseYaml(text);
  if (!doc.ok()) return std::nullopt;
  if (doc->is_null()) return Object::array();  // only comments: Go decodes "null" as no ops
  if (!doc->is_array()) return std::nullopt;
  for (const Object& op : *doc) {
    if (!op.is_object()) return std::nullopt;
  }
  return *doc;
}

// Strategic-merge patch documents, or nullopt when some document is not a
// mapping (then the text may be a JSON patch).
std::optional<ResourceList> ParseSmPatches(const std::string& text, const std::string& source) {
  auto docs = ParseYamlDocuments(text, YamlReadOptions{source});
  if (!docs.ok()) return std::nullopt;
  ResourceList out;
  for (const YamlDocument& d : *docs) {
    if (d.value.is_null()) continue;
    if (!d.value.is_object()) return std::nullopt;
    Resource r;
    r.obj = d.value;
    r.source = source;
    out.push_back(std::move(r));
  }
  return out;
}

// The resource types of Kustomize's built-in OpenAPI schema (Kubernetes
// v1.21.2), "apiVersion kind". kyaml merges a built-in group's kind under an
// apiVersion missing here (apps/v1beta2 Deployment) without a schema: every
// list is replaced.
const std::unordered_set<std::string>& KyamlSchemaTypes() {
  static const std::unordered_set<std::string> kTypes = {
    "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration",
    "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration",
    "admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration",
    "admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration",
    "apiextensions.k8s.io/v1 CustomResourceDefinition",
    "apiextensions.k8s.io/v1beta1 CustomResourceDefinition",
    "apiregistration.k8s.io/v1 APIService",
    "apiregistration.k8s.io/v1beta1 APIService",
    "apps/v1 ControllerRevision",
    "apps/v1 DaemonSet",
    "apps/v1 Deployment",
    "apps/v1 ReplicaSet",
    "apps/v1 StatefulSet",
    "autoscaling/v1 HorizontalPodAutoscaler",
    "autoscaling/v1 Scale",
    "autoscaling/v2beta1 HorizontalPodAutoscaler",
    "autoscaling/v2beta2 HorizontalPodAutoscaler",
    "batch/v1 CronJob",
    "batch/v1 Job",
    "batch/v1beta1 CronJob",
    "certificates.k8s.io/v1 CertificateSigningRequest",
    "certificates.k8s.io/v1beta1 CertificateSigningRequest",
    "coordination.k8s.io/v1 Lease",
    "coordination.k8s.io/v1beta1 Lease",
    "discovery.k8s.io/v1 EndpointSlice",
    "discovery.k8s.io/v1beta1 EndpointSlice",
    "events.k8s.io/v1 Event",
    "events.k8s.io/v1beta1 Event",
    "extensions/v1beta1 Ingress",
    "flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema",
    "flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration",
    "networking.k8s.io/v1 Ingress",
    "networking.k8s.io/v1 IngressClass",
    "networking.k8s.io/v1 NetworkPolicy",
    "networking.k8s.io/v1beta1 Ingress",
    "networking.k8s.io/v1beta1 IngressClass",
    "node.k8s.io/v1 RuntimeClass",
    "node.k8s.io/v1beta1 RuntimeClass",
    "policy/v1 PodDisruptionBudget",
    "policy/v1beta1 PodDisruptionBudget",
    "policy/v1beta1 PodSecurityPolicy",
    "rbac.authorization.k8s.io/v1 ClusterRole",
    "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
    "rbac.authorization.k8s.io/v1 Role",
    "rbac.authorization.k8s.io/v1 RoleBinding",
    "rbac.authorization.k8s.io/v1beta1 ClusterRole",
    "rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding",
    "rbac.authorization.k8s.io/v1beta1 Role",
    "rbac.authorization.k8s.io/v1beta1 RoleBinding",
    "scheduling.k8s.io/v1 PriorityClass",
    "scheduling.k8s.io/v1beta1 PriorityClass",
    "storage.k8s.io/v1 CSIDriver",
    "storage.k8s.io/v1 CSINode",
    "storage.k8s.io/v1 StorageClass",
    "storage.k8s.io/v1 VolumeAttachment",
    "storage.k8s.io/v1beta1 CSIDriver",
    "storage.k8s.io/v1beta1 CSINode",
    "storage.k8s.io/v1beta1 CSIStorageCapacity",
    "storage.k8s.io/v1beta1 StorageClass",
    "storage.k8s.io/v1beta1 VolumeAttachment",
    "v1 ComponentStatus",
    "v1 ConfigMap",
    "v1 Endpoints",
    "v1 Event",
    "v1 LimitRange",
    "v1 Namespace",
    "v1 Node",
    "v1 NodeProxyOptions",
    "v1 PersistentVolume",
    "v1 PersistentVolumeClaim",
    "v1 Pod",
    "v1 PodAttachOptions",
    "v1 PodExecOptions",
    "v1 PodPortForwardOptions",
    "v1 PodProxyOptions",
    "v1 PodTemplate",
    "v1 ReplicationController",
    "v1 ResourceQuota",
    "v1 Secret",
    "v1 Service",
    "v1 ServiceAccount",
    "v1 ServiceProxyOptions"};
  return kTypes;
}

bool KyamlHasNoSchemaFor(const std::string& api_version, const std::string& kind) {
  if (api_version.empty() || kind.empty()) return false;
  std::string group = api_version.find('/') == std::string::npos ? "" : api_version.substr(0, api_version.find('/'));
  static const std::unordered_set<std::string> kGroups = [] {
    std::unordered_set<std::string> g;
    for (const std::string& t : KyamlSchemaTypes()) {
      std::string av = t.substr(0, t.find(' '));
      g.insert(av.find('/') == std::string::npos ? "" : av.substr(0, av.find('/')));
    }
    return g;
  }();
  return kGroups.count(group) && !KyamlSchemaTypes().count(api_version + " " + kind);
}

// Resource::ApplySmPatch: the patch may not rename or re-kind the target
// unless its options allow it; the namespace never changes.
Status ApplySmpToResource(Resource& res, const Resource& patch, const k8s::Schema* schema) {
  std::string name = res.Name(), ns = res.Namespace(), kind = res.Kind();
  if (patch.allow_name_change || patch.allow_kind_change) res.StorePreviousId();
  SmpOptions opts;
  opts.kustomize_mode = true;
  if (schema) opts.schema = schema;
  // kyaml looks for a schema for the target, then for the patch (which
  // carries the target's apiVersion and its own kind). A custom `openapi:`
  // schema is taken as it is.
  static const k8s::Schema kNoTypes;
  if (!schema && KyamlHasNoSchemaFor(ApiVersionOf(res.obj), res.Kind()) &&
      KyamlHasNoSchemaFor(ApiVersionOf(res.obj), KindOf(patch.obj))) {
    opts.schema = &kNoTypes;
  }
  Status st = ApplyStrategicMergePatch(res.obj, patch.obj, opts);
  if (!st.ok()) return st.WithContext("applying patch from " + patch.source + " to " + IdString(ResId::Of(res.obj)));
  if (res.obj.is_null() || (res.obj.is_object() && res.obj.empty())) return Status::Ok();
  if (!patch.allow_kind_change) res.obj["kind"] = kind;
  if (!patch.allow_name_change) res.SetName(name);
  res.SetNamespace(ns);
  return Status::Ok();
}

// ResMap::ApplySmPatch: patches the selected resources (with the patch's
// apiVersion taken from each target) and drops emptied ones.
Status ApplySmpToSelected(ResourceList& list, const std::vector<size_t>& selected,
                          const Resource& patch, const k8s::Schema* schema) {
  for (size_t i : selected) {
    Resource copy = patch;
    copy.obj["apiVersion"] = list[i].obj.value("apiVersion", "");
    if (patch.obj.contains("kind")) copy.obj["kind"] = patch.obj["kind"];
    RETURN_IF_ERROR(ApplySmpToResource(list[i], copy, schema));
  }
  ResourceList kept;
  kept.reserve(list.size());
  for (Resource& r : list) {
    if (r.obj.is_object() && !r.obj.empty()) kept.push_back(std::move(r));
  }
  list = std::move(kept);
  return Status::Ok();
}

Result<size_t> FindPatchTarget(const ResourceList& list, const Resource& patch) {
  ResId id = patch.CurId();
  std::vector<int> matches = FindByAnyId(list, id);
  if (matches.empty()) {
    return NotFound("no resource matches strategic merge patch \"" + IdString(id) + "\"");
  }
  if (matches.size() > 1) {
    return Conflict("multiple resources match strategic merge patch \"" + IdString(id) + "\"");
  }
  return static_cast<size_t>(matches[0]);
}

Status ApplyJsonOps(Resource& res, const Object& ops, const std::string& source) {
  Status st = ApplyJsonPatch(res.obj, ops);
  if (!st.ok()) return st.WithContext("applying JSON patch " + source + " to " + IdString(res.CurId()));
  return Status::Ok();
}

class PatchTransformer : public Transformer {
 public:
  PatchTransformer(ResourceList sm, std::optional<Object> json, std::optional<Object> target,
                   std::string source, const k8s::Schema* schema)
      : sm_(std::move(sm)), json_(std::move(json)), target_(std::move(target)),
        source_(std::move(source)), schema_(schema) {}

  Status Apply(ResourceList& list) const override {
    if (!json_) return ApplySm(list);
    if (!target_) return InvalidArgument("must specify a target for JSON patch " + source_);
    ASSIGN_OR_RETURN(auto selected, SelectResources(list, *target_));
    for (size_t i : selected) {
      list[i].StorePreviousId();
      RETURN_IF_ERROR(ApplyJsonOps(list[i], *json_, source_));
    }
    return Status::Ok();
  }

 private:
  Status ApplySm(ResourceList& list) const {
    if (target_) {
      if (sm_.size() > 1) {
        return InvalidArgument("Multiple Strategic-Merge Patches in one `patches` entry is not "
                               "allowed to set `patches.target` field: " + source_);
      }
      ASSIGN_OR_RETURN(auto selected, SelectResources(list, *target_));
      return ApplySmpToSelected(list, selected, sm_[0], schema_);
    }
    for (const Resource& patch : sm_) {
      ASSIGN_OR_RETURN(size_t i, FindPatchTarget(list, patch));
      RETURN_IF_ERROR(ApplySmpToResource(list[i], patch, schema_));
      if (list[i].obj.is_null() || (list[i].obj.is_object() && list[i].obj.empty())) {
        list.erase(list.begin() + static_cast<long>(i));
      }
    }
    return Status::Ok();
  }

  ResourceList sm_;
  std::optional<Object> json_;
  std::optional<Object> target_;
  std::string source_;
  const k8s::Schema* schema_;
};

class StrategicMergeTransformer : public Transformer {
 public:
  StrategicMergeTransformer(ResourceList patches, const k8s::Schema* schema)
      : patches_(std::move(patches)), schema_(schema) {}

  Status Apply(ResourceList& list) const override {
    for (const Resource& patch : patches_) {
      ASSIGN_OR_RETURN(size_t i, FindPatchTarget(list, patch));
      RETURN_IF_ERROR(ApplySmpToSelected(list, {i}, patch, schema_));
    }
    return Status::Ok();
  }

 private:
  ResourceList patches_;
  const k8s::Schema* schema_;
};

}  // namespace

Result<PatchArgs> ParsePatchArgs(const Object& raw, const std::string& what) {
  if (!raw.is_object()) return InvalidArgument(what + ": a patch must be a mapping");
  Object v = FoldKeys(raw, {"path", "patch", "target", "options"});
  PatchArgs a;
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& k = it.key();
    if (k == "path" || k == "patch") {
      if (it->is_null()) continue;
      if (!it->is_string()) return InvalidArgument(what + ": " + k + " must be a string");
      (k == "path" ? a.path : a.patch) = it->get<std::string>();
    } else if (k == "target") {
      if (!it->is_null()) a.target = *it;
    } else if (k == "options") {
      if (it->is_null()) continue;
      if (!it->is_object()) return InvalidArgument(what + ": options must be a mapping");
      for (auto o = it->begin(); o != it->end(); ++o) {
        if (!o->is_boolean()) return InvalidArgument(what + ": option " + o.key() + " must be a boolean");
        if (o.key() == "allowNameChange") a.allow_name_change = o->get<bool>();
        if (o.key() == "allowKindChange") a.allow_kind_change = o->get<bool>();
      }
    } else {
      return InvalidArgument(what + ": unknown field \"" + k + "\"");
    }
  }
  return a;
}

Result<TransformerPtr> MakePatchTransformer(const PatchArgs& args, const Loader& loader,
                                            const k8s::Schema* schema) {
  std::string patch = TrimSpace(args.patch);
  if (patch.empty() && args.path.empty()) {
    return InvalidArgument("must specify one of patch and path");
  }
  if (!patch.empty() && !args.path.empty()) {
    return InvalidArgument("patch and path can't be set at the same time");
  }
  std::string text = patch, source = "[patch: inline]";
  if (!args.path.empty()) {
    auto loaded = loader.Load(args.path);
    if (!loaded.ok()) {
      return loaded.status().WithContext("failed to get the patch file from path(" + args.path + ")");
    }
    text = *loaded;
    source = "[path: \"" + args.path + "\"]";
  }
  auto sm = ParseSmPatches(text, source);
  auto json = ParseJsonOps(text);
  if (sm && json) return InvalidArgument("illegally qualifies as both an SM and JSON patch: " + source);
  if (!sm && !json) return InvalidArgument("unable to parse SM or JSON patch from " + source);
  if (sm && sm->empty()) json = Object::array();  // an empty patch: a no-op JSON patch
  if (json) {
    return TransformerPtr(new PatchTransformer({}, std::move(json), args.target, source, schema));
  }
  for (Resource& r : *sm) {
    r.allow_name_change = args.allow_name_change;
    r.allow_kind_change = args.allow_kind_change;
  }
  return TransformerPtr(
      new PatchTransformer(std::move(*sm), std::nullopt, args.target, source, schema));
}

Result<TransformerPtr> MakeStrategicMergeTransformer(const std::vector<std::string>& entries,
                                                     const Loader& loader,
                                                     const k8s::Schema* schema) {
  ResourceList all;
  for (const std::string& entry : entries) {
    auto inline_patch = ParseSmPatches(entry, "[inline patch]");
    if (inline_patch && !inline_patch->empty()) {
      for (Resource& r : *inline_patch) all.push_back(std::move(r));
      continue;
    }
    ASSIGN_OR_RETURN(std::string text, loader.Load(entry));
    auto docs = ParseResources(text, entry);
    if (!docs.ok()) return docs.status();
    for (Resource& r : *docs) all.push_back(std::move(r));
  }
  if (all.empty()) return InvalidArgument("patch appears to be empty");
  return TransformerPtr(new StrategicMergeTransformer(std::move(all), schema));
}

Result<TransformerPtr> MakeJson6902Transformer(const Object& target, const std::string& path,
                                               const std::string& inline_ops,
                                               const Loader& loader) {
  if (!target.is_object() || target.value("name", "").empty()) {
    return InvalidArgument("must specify the target name");
  }
  if (path.empty() && inline_ops.empty()) return InvalidArgument("empty file path and empty jsonOp");
  if (!path.empty() && !inline_ops.empty()) {
    return InvalidArgument("must specify a file path or jsonOp, not both");
  }
  std::string text = inline_ops;
  if (!path.empty()) {
    ASSIGN_OR_RETURN(text, loader.Load(path));
    if (text.empty()) return InvalidArgument("patch file '" + path + "' seems to be empty");
  }
  auto doc = ParseYaml(text, YamlReadOptions{path.empty() ? "[jsonOp]" : path});
  if (!doc.ok()) return doc.status();
  if (!doc->is_array()) return InvalidArgument("decoding JSON patch " + path + ": expected a list of operations");
  if (doc->empty()) return InvalidArgument("patch appears to be empty; file=" + path);
  Object ops = *doc;
  Object sel = target;
  std::string source = path.empty() ? "[jsonOp]" : path;
  return MakeFn([ops, sel, source](ResourceList& list) -> Status {
    ASSIGN_OR_RETURN(auto selected, SelectResources(list, sel));
    for (size_t i : selected) RETURN_IF_ERROR(ApplyJsonOps(list[i], ops, source));
    return Status::Ok();
  });
}

}  // namespace gitopsd::kustomize
