// Walking objects along server-side-apply field paths (core/managed_fields.h):
// the fields a manager owns in a live object, and finding / removing the node
// a path names. Keyed list items match on their key fields, a missing
// `protocol` key counting as the API default "TCP".
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "core/managed_fields.h"
#include "core/object.h"
#include "core/status.h"

namespace gitopsd::diff::internal {

// The leaf paths `manager` owns in live_raw's metadata.managedFields (a node
// owned together with fields below it is not a leaf: other owners may share
// it). apply_only: only entries of operation "Apply".
Result<FieldSet> OwnedLeaves(const Object& live_raw, const std::string& manager, bool apply_only);

// True when the node `path` names exists in `obj`.
bool HasFieldPath(const Object& obj, const FieldPath& path);

// Removes the node `path` names, when present.
void RemoveFieldPath(Object& obj, const FieldPath& path);

}  // namespace gitopsd::diff::internal
