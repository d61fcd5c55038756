// The Kustomize `replacements` transformer (v5.5.0 semantics) as a pure
// function over a list of objects.
//
// `replacements` is the parsed YAML list of inline entries
// ({source, targets}); entries written as `path: file.yaml` must be loaded
// and spliced in by the caller first. Entries apply in order, each against
// the objects as the previous one left them.
//
//  * source: {group, version, kind, name, namespace, fieldPath (default
//    metadata.name), options: {delimiter, index}} must select exactly one
//    object (exact matching against its current or any earlier id).
//  * targets[]: {select, reject[], fieldPaths (default [metadata.name]),
//    options: {delimiter, index, create}}. `select`/`reject` are exact
//    selectors (kustomize/selector.h, Mode::kExact) plus labelSelector /
//    annotationSelector.
//  * Field paths are dotted; `[k=v]` picks list items by a field (`[=v]`
//    for scalar lists), a number indexes a list, `-` is the last item, `*`
//    is every item, and `create` adds missing fields and `[k=v]` items.
//  * Scalar targets keep their type (an int field stays an int; writing
//    `abc` into it is an error, as in Kustomize); created scalars are typed
//    from the text as YAML would; non-scalar values are copied whole.
//
// Errors use Kustomize's words: `nothing selected by ConfigMap.[noVer].
// [noGrp]/cm.[noNs]`, `multiple matches for selector ...`, `fieldPath
// \`data.x\` is missing for replacement source ...`, `unable to find field
// "spec.x" in replacement target`, `delimiter option can only be used with
// scalar nodes`, `options.index 3 is out of bounds for value a-b`.
//
// Pure; thread-safe.
#pragma once

#include <vector>

#include "core/object.h"
#include "core/resid.h"
#include "core/status.h"

namespace gitopsd::kustomize {

Status ApplyReplacements(ObjectList& objects, const Object& replacements);

// As above; earlier_ids[i] are the ids objects[i] had before renames
// (oldest first), so a selector may name an object by an original name.
// earlier_ids may be shorter than objects (missing = none).
Status ApplyReplacements(ObjectList& objects, const std::vector<std::vector<ResId>>& earlier_ids,
                         const Object& replacements);

// Kustomize's id string in replacement messages:
// "Kind.version.group/name.namespace" with [noKind]/[noVer]/[noGrp]/
// [noName]/[noNs] for empty parts.
std::string ReplacementIdString(const ResId& id);

}  // namespace gitopsd::kustomize
