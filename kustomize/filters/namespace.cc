// The namespace transformer: sets metadata.namespace on namespaced objects,
// the namespace field specs (APIService, CRD conversion webhook, ...), the
// name of v1 Namespace objects, and RoleBinding subjects per
// setRoleBindingSubjects.
#include <unordered_set>

#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

class NamespaceTransformer : public Transformer {
 public:
  explicit NamespaceTransformer(NamespaceArgs args) : args_(std::move(args)) {}

  Status Apply(ResourceList& list) const override {
    if (args_.name_space.empty()) return Status::Ok();
    for (Resource& r : list) {
      if (!r.obj.is_object() || r.obj.empty()) continue;
      r.StorePreviousId();
      Status st = ApplyOne(r);
      if (!st.ok()) return st.WithContext("namespace transformation failed for " + IdString(r.CurId()));
    }
    std::unordered_set<std::string> seen;
    for (const Resource& r : list) {
      ResId id = r.CurId();
      id.namespace_ = EffectiveNamespace(id);
      if (!seen.insert(IdString(id)).second) {
        return Conflict("namespace transformation produces ID conflict: " + IdString(r.CurId()));
      }
    }
    return Status::Ok();
  }

 private:
  Status Set(Object& node) const {
    if (node.is_object() || node.is_array()) {
      return InvalidArgument("namespace field specs must target scalar nodes");
    }
    if (args_.unset_only && node.is_string() && !node.get<std::string>().empty()) {
      return Status::Ok();
    }
    node = args_.name_space;
    return Status::Ok();
  }

  Status ApplyOne(Resource& r) const {
    ResId id = r.CurId();
    auto set = [this](Object& n) { return Set(n); };
    if (!IsClusterScoped(id.group, id.version, id.kind)) {
      Object& meta = r.obj["metadata"];
      if (!meta.is_object()) meta = Object::object();
      Object& ns = meta["namespace"];
      RETURN_IF_ERROR(Set(ns));
    }
    bool binding = id.kind == "RoleBinding" || id.kind == "ClusterRoleBinding";
    if (binding) RETURN_IF_ERROR(SetSubjects(r.obj));
    std::string api_version = ApiVersionOf(r.obj);
    for (const FieldSpec& fs : args_.field_specs) {
      if (!fs.gvk.Selects(id)) continue;
      if (fs.path == "metadata/namespace") continue;
      if (fs.path == "metadata/name" && api_version != "v1") continue;
      if (binding && fs.path == "subjects/namespace" &&
          (fs.gvk.kind == "RoleBinding" || fs.gvk.kind == "ClusterRoleBinding")) {
        continue;
      }
      RETURN_IF_ERROR(ApplyFieldSpec(r.obj, fs, LeafKind::kScalar, set));
    }
    return Status::Ok();
  }

  Status SetSubjects(Object& obj) const {
    const std::string& mode = args_.role_binding_subjects;
    if (mode == "none") return Status::Ok();
    auto it = obj.find("subjects");
    if (it == obj.end() || !it->is_array()) return Status::Ok();
    for (Object& s : *it) {
      if (!s.is_object()) continue;
      bool pick = mode == "allServiceAccounts" ? s.value("kind", "") == "ServiceAccount"
                                               : s.value("name", "") == "default";
      if (!pick) continue;
      RETURN_IF_ERROR(Set(s["namespace"]));
    }
    return Status::Ok();
  }

  NamespaceArgs args_;
};

}  // namespace

Result<TransformerPtr> MakeNamespaceTransformer(NamespaceArgs args) {
  const std::string& m = args.role_binding_subjects;
  if (m.empty()) args.role_binding_subjects = "defaultOnly";
  if (m != "defaultOnly" && m != "allServiceAccounts" && m != "none") {
    return InvalidArgument("invalid value \"" + m +
                           "\" for setRoleBindingSubjects: must be one of \"defaultOnly\", "
                           "\"none\" or \"allServiceAccounts\"");
  }
  return TransformerPtr(new NamespaceTransformer(std::move(args)));
}

}  // namespace gitopsd::kustomize
