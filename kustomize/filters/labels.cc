// Labels and annotations: merges a string map into every field the specs
// select (metadata.labels, selectors, pod templates, ...), creating the maps
// where a spec says create.
#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

class MapTransformer : public Transformer {
 public:
  MapTransformer(StringMap entries, FieldSpecs specs)
      : entries_(std::move(entries)), specs_(std::move(specs)) {}

  Status Apply(ResourceList& list) const override {
    if (entries_.empty()) return Status::Ok();
    auto set = [this](Object& n) -> Status {
      if (n.is_null()) return Status::Ok();
      if (!n.is_object()) return InvalidArgument("expected a mapping to add labels/annotations to");
      for (const auto& [k, v] : entries_) n[k] = v;
      return Status::Ok();
    };
    for (Resource& r : list) {
      if (!r.obj.is_object()) continue;
      Status st = ApplyFieldSpecs(r.obj, r.CurId(), specs_, LeafKind::kMap, set);
      if (!st.ok()) return st.WithContext(IdString(r.CurId()));
    }
    return Status::Ok();
  }

 private:
  StringMap entries_;
  FieldSpecs specs_;
};

}  // namespace

Result<StringMap> ToStringMap(const Object& v, const std::string& what) {
  StringMap out;
  if (v.is_null()) return out;
  if (!v.is_object()) return InvalidArgument(what + ": expected a map of strings");
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it->is_string()) {
      out[it.key()] = it->get<std::string>();
    } else if (it->is_null()) {
      out[it.key()] = "";
    } else if (it->is_boolean()) {
      out[it.key()] = it->get<bool>() ? "true" : "false";
    } else if (it->is_number()) {
      out[it.key()] = it->dump();
    } else {
      return InvalidArgument(what + ": value of \"" + it.key() + "\" must be a string");
    }
  }
  return out;
}

Result<TransformerPtr> MakeMapTransformer(StringMap entries, FieldSpecs specs) {
  return TransformerPtr(new MapTransformer(std::move(entries), std::move(specs)));
}

}  // namespace gitopsd::kustomize
