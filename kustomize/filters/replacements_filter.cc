// The `replacements` field and ReplacementTransformer: entries inline or
// loaded from files, applied by kustomize/replacements.h.
#include "kustomize/filters/filters.h"

namespace gitopsd::kustomize {

Result<TransformerPtr> MakeReplacementTransformer(const Object& replacements,
                                                  const Loader& loader, const std::string& what) {
  (void)replacements;
  (void)loader;
  return Unimplemented(what + ": replacements are not wired yet");
}

}  // namespace gitopsd::kustomize
