// Patch engines over Object trees: JSON merge patch (RFC 7386), JSON patch
// (RFC 6902) and Kubernetes strategic merge patch, in two flavours: the API
// server's (apimachinery strategicpatch) and Kustomize's (kyaml merge2).
//
// All functions are pure (they touch only `target`) and thread-safe. On an
// error `target` may be partly patched; callers that need atomicity patch a
// copy (ApplyJsonPatch is atomic itself: it works on a copy).
#pragma once

#include <string>

#include "core/k8s_schema.h"
#include "core/object.h"
#include "core/status.h"

namespace gitopsd {

// RFC 7386: mappings merge recursively, `null` deletes a key, anything else
// (lists included) replaces. A non-mapping patch replaces the target.
Status ApplyMergePatch(Object& target, const Object& patch);

// RFC 6902: `ops` is a list of {op, path, value|from}. Ops: add, remove,
// replace, move, copy, test. Paths are JSON pointers (~0 = '~', ~1 = '/',
// "-" = append). Any failing op leaves `target` unchanged and the error
// names the op index, the op and its path, e.g.
// `json patch op 2 (replace /spec/x): path not found: missing key "x"`.
Status ApplyJsonPatch(Object& target, const Object& ops);

struct SmpOptions {
  // Types to merge with. The kind is read from the target (apiVersion,
  // kind). Callers add CRD schemas to a copy of Schema::Builtin().
  const k8s::Schema* schema = &k8s::Schema::Builtin();

  // false: the API server's semantics (apimachinery): `$patch: delete` on a
  // map empties it, list order follows the patch and `$setElementOrder`,
  // new keyed items are placed as the server places them.
  // true: Kustomize v5.5 patchesStrategicMerge semantics (kyaml merge2 with
  // prepend), checked against `kubectl kustomize`: patched and new list
  // items come first in patch order followed by the target's other items
  // (lists whose items carry a second key, e.g. ports with a protocol: new
  // items first, then the target's items in place; a patch item whose
  // protocol is set on one side only is dropped); the first patch item per
  // key wins; `$patch: delete` on a map removes the field and at the top
  // level deletes the whole object (target becomes null); a top-level
  // `$patch: replace` leaves the object alone; `$patch` is the only
  // directive (`$setElementOrder/...`, `$retainKeys` stay as plain fields);
  // merging a map, list and scalar into one another is an error ("wrong
  // node kind"); null items of scalar sets are dropped. kyaml walks the
  // whole target, so keyed lists the patch does not touch lose duplicate
  // items too (see core/internal/patch_kyaml.h).
  bool kustomize_mode = false;
};

// Kubernetes strategic merge patch. Lists merge by the schema's merge key
// (containers by name, ports by containerPort, env by name, ...), lists of
// scalars with strategy merge (finalizers) merge as sets, every other list
// is replaced; kinds the schema does not know (custom resources without a
// schema) have only atomic lists. `null` deletes a key. Directives:
// `$patch: replace|delete|merge` on maps and as list items,
// `$retainKeys`, `$deleteFromPrimitiveList/<f>`, `$setElementOrder/<f>`.
// Directive keys never appear in the result. When the patch deletes the
// whole object (kustomize_mode), `target` is set to null.
Status ApplyStrategicMergePatch(Object& target, const Object& patch,
                                const SmpOptions& options = {});

}  // namespace gitopsd
