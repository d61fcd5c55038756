// Output forms of an ObjectDiff: a unified diff of YAML (what `gitopsd diff`
// prints, like `kubectl diff`) and a JSON form (what the API serves).
// Both show only the masked sides of the diff, so no Secret value appears.
//
// Unified form, per changed object (nothing for an unchanged one):
//
//   --- live/apps/v1/Deployment/shop/web
//   +++ desired/apps/v1/Deployment/shop/web
//   @@ -12,7 +12,7 @@
//    spec:
//   -  replicas: 5
//   +  replicas: 3
//
// The YAML is core/yaml.h's WriteYaml (keys sorted as Kustomize prints
// them); an added object diffs against nothing, a removed one against
// nothing on the desired side.
//
// JSON form:
//   {"id": {"group","version","kind","namespace","name"},
//    "change": "added|removed|modified|unchanged", "strategy": "...",
//    "paths": [{"path": "/spec/replicas", "old": 5, "new": 3}, ...]}
// ("old"/"new" are omitted where the field does not exist on that side).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/object.h"
#include "diff/diff.h"

namespace gitopsd::diff {

struct RenderOptions {
  int context_lines = 3;
  std::string old_label = "live";
  std::string new_label = "desired";
};

// "apps/v1/Deployment/shop/web" (cluster-scoped: ".../ClusterRole/name").
std::string DiffFileName(const ResId& id);

// The unified diff of one object; "" when unchanged.
std::string RenderUnified(const ObjectDiff& diff, const RenderOptions& options = {});

// The unified diffs of several objects, concatenated in the given order.
std::string RenderUnified(const std::vector<ObjectDiff>& diffs, const RenderOptions& options = {});

// The JSON form of one diff, and of a list (a JSON array).
Object ToJson(const ObjectDiff& diff);
Object ToJson(const std::vector<ObjectDiff>& diffs);

// The JSON id form {"group","version","kind","namespace","name"}.
Object ResIdToJson(const ResId& id);

}  // namespace gitopsd::diff
