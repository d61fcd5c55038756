// Patch target selection (internal to gitopsd::kustomize filters): a
// Kustomize selector {group, version, kind, name, namespace, labelSelector,
// annotationSelector}; string fields are anchored regular expressions
// matched against the original or current name/namespace.
#pragma once

#include <vector>

#include "core/object.h"
#include "core/status.h"
#include "kustomize/resource.h"

namespace gitopsd::kustomize {

// Indices of the resources the selector picks, in list order.
Result<std::vector<size_t>> SelectResources(const ResourceList& list, const Object& selector);

// A Kubernetes label selector string ("a=b,c in (d,e),!f") against a map.
Result<bool> MatchesSelectorString(const std::string& selector, const Object& labels);

}  // namespace gitopsd::kustomize
