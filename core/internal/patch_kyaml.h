// Kustomize-flavour details of strategic merge patch (internal to
// core/patch): kyaml's merge walks the whole target, not only the patched
// parts, and collapses keyed-list items that share a key on the way.
#pragma once

#include "core/k8s_schema.h"
#include "core/object.h"

namespace gitopsd::patch_internal {

// Collapses duplicates in every schema-keyed list under `node` as kyaml
// does (observed with kubectl kustomize v5.5.0): for single-key lists the
// last duplicate's content takes the first one's place; when items carry a
// second key (ports with a protocol) earlier duplicates are dropped; scalar
// sets keep the first of equal values.
void CollapseKeyedDuplicates(Object& node, const k8s::TypeSchema* type, const k8s::Schema& schema);

}  // namespace gitopsd::patch_internal
