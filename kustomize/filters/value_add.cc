// ValueAddTransformer (alpha in Kustomize): not supported; refused by name.
#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {

Result<TransformerPtr> MakeValueAddTransformer(const Object& config) {
  (void)config;
  return Unimplemented("builtin ValueAddTransformer is not supported by gitopsd");
}

}  // namespace gitopsd::kustomize
