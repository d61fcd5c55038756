// namePrefix / nameSuffix: prepend/append to metadata.name (and any other
// configured name fields), remembering the old id and the affix so name
// references can follow the rename. CRDs, APIServices and Namespaces keep
// their names.
#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {
namespace {

bool SkipKind(const ResId& id) {
  return id.kind == "CustomResourceDefinition" || id.kind == "Namespace" ||
         (id.kind == "APIService" && id.group == "apiregistration.k8s.io");
}

class AffixTransformer : public Transformer {
 public:
  AffixTransformer(std::string prefix, std::string suffix, FieldSpecs specs)
      : prefix_(std::move(prefix)), suffix_(std::move(suffix)), specs_(std::move(specs)) {}

  Status Apply(ResourceList& list) const override {
    auto set = [this](Object& n) -> Status {
      if (n.is_string()) n = prefix_ + n.get<std::string>() + suffix_;
      return Status::Ok();
    };
    for (Resource& r : list) {
      if (!r.obj.is_object()) continue;
      ResId org = r.OrgId();
      if (SkipKind(org)) continue;
      for (const FieldSpec& fs : specs_) {
        if (!fs.gvk.Selects(org)) continue;
        if (fs.path == "metadata/name") {
          if (!prefix_.empty()) r.name_prefixes.push_back(prefix_);
          if (!suffix_.empty()) r.name_suffixes.push_back(suffix_);
          if (!prefix_.empty() || !suffix_.empty()) r.StorePreviousId();
        }
        RETURN_IF_ERROR(ApplyFieldSpec(r.obj, fs, LeafKind::kNone, set));
      }
    }
    return Status::Ok();
  }

 private:
  std::string prefix_, suffix_;
  FieldSpecs specs_;
};

}  // namespace

Result<TransformerPtr> MakePrefixSuffixTransformer(std::string prefix, std::string suffix,
                                                   FieldSpecs prefix_specs,
                                                   FieldSpecs suffix_specs) {
  auto multi = std::make_unique<MultiTransformer>();
  if (!prefix.empty()) {
    multi->Add(std::make_unique<AffixTransformer>(std::move(prefix), "", std::move(prefix_specs)));
  }
  if (!suffix.empty()) {
    multi->Add(std::make_unique<AffixTransformer>("", std::move(suffix), std::move(suffix_specs)));
  }
  return TransformerPtr(std::move(multi));
}

}  // namespace gitopsd::kustomize
