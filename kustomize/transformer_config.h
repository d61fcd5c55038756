// TransformerConfig: the field specs each built-in transformer uses — the
// defaults of Kustomize v5.5.0 plus what `configurations:` files and `crds:`
// add. Internal to gitopsd::kustomize. Values; thread-safe to share const.
#pragma once

#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/status.h"
#include "kustomize/fieldspec.h"

namespace gitopsd::kustomize {

// Which referrer fields hold the name of an object of kind `target`.
struct NameBackRef {
  Gvk target;
  FieldSpecs referrers;
};

struct TransformerConfig {
  FieldSpecs name_prefix, name_suffix, name_space, common_labels, template_labels, labels,
      common_annotations, images, replicas, var_reference;
  std::vector<NameBackRef> name_reference;

  // Kustomize v5.5.0's built-in field specs.
  static const TransformerConfig& Defaults();
  // Parses one `configurations:` document.
  static Result<TransformerConfig> Parse(const Object& doc, std::string_view source);
  // Adds `other`'s specs (name references merged by target kind).
  Status Merge(const TransformerConfig& other);
};

}  // namespace gitopsd::kustomize
