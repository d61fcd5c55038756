// replicas: sets the replica count of the workloads with a given (current or
// previous) name. Entries are indexed by name, so a long `replicas:` list
// costs one pass over the resources.
#include <unordered_map>

#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

class ReplicaTransformer : public Transformer {
 public:
  ReplicaTransformer(std::vector<ReplicaArgs> replicas, FieldSpecs specs)
      : replicas_(std::move(replicas)), specs_(std::move(specs)) {}

  Status Apply(ResourceList& list) const override {
    std::unordered_map<std::string, std::vector<size_t>> by_name;
    for (size_t i = 0; i < list.size(); ++i) {
      by_name[list[i].Name()].push_back(i);
      for (const ResId& p : list[i].prev_ids) {
        if (p.name != list[i].Name()) by_name[p.name].push_back(i);
      }
    }
    for (const ReplicaArgs& rep : replicas_) {
      bool found = false;
      auto hit = by_name.find(rep.name);
      for (const FieldSpec& fs : specs_) {
        if (hit == by_name.end()) break;
        for (size_t i : hit->second) {
          Resource& r = list[i];
          if (!Selected(r, rep.name, fs)) continue;
          found = true;
          auto set = [&rep](Object& n) -> Status {
            n = rep.count;
            return Status::Ok();
          };
          RETURN_IF_ERROR(ApplyFieldSpec(r.obj, fs, LeafKind::kScalar, set));
        }
      }
      if (!found) {
        std::string gvks;
        for (const FieldSpec& fs : specs_) gvks += (gvks.empty() ? "" : " ") + fs.gvk.kind;
        return NotFound("resource with name " + rep.name +
                        " does not match a config with the following GVK [" + gvks + "]");
      }
    }
    return Status::Ok();
  }

 private:
  static bool Selected(const Resource& r, const std::string& name, const FieldSpec& fs) {
    ResId cur = r.CurId();
    if (cur.name == name && fs.gvk.Selects(cur)) return true;
    for (const ResId& p : r.prev_ids) {
      if (p.name == name && fs.gvk.Selects(p)) return true;
    }
    return false;
  }

  std::vector<ReplicaArgs> replicas_;
  FieldSpecs specs_;
};

}  // namespace

Result<ReplicaArgs> ParseReplicaArgs(const Object& raw, const std::string& what) {
  if (!raw.is_object()) return InvalidArgument(what + ": a replicas entry must be a mapping");
  Object v = FoldKeys(raw, {"name", "count"});
  ReplicaArgs a;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.key() == "name") {
      if (!it->is_string()) return InvalidArgument(what + ": name must be a string");
      a.name = it->get<std::string>();
    } else if (it.key() == "count") {
      if (!it->is_number_integer()) return InvalidArgument(what + ": count must be an integer");
      a.count = *it;
    } else {
      return InvalidArgument(what + ": unknown field \"" + it.key() + "\"");
    }
  }
  if (a.count.is_null()) a.count = 0;
  return a;
}

Result<TransformerPtr> MakeReplicaTransformer(std::vector<ReplicaArgs> replicas, FieldSpecs specs) {
  return TransformerPtr(new ReplicaTransformer(std::move(replicas), std::move(specs)));
}

}  // namespace gitopsd::kustomize
