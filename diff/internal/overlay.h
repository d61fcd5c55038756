// The structural fallback of the diff (no server-side dry-run result): the
// predicted live state is the live object with every field the desired
// object declares set to the desired value, so fields only the server or
// controllers fill in (defaults, allocated IPs, annotations) never count.
//
// Mappings merge key by key. Lists with a merge key in core/k8s_schema.h
// (containers by name, ports by containerPort + protocol, ...) match items
// by key and keep the live order (an order change of a keyed list is not a
// difference); other lists take the desired items in desired order, each
// overlaid on the live item at the same position.
// A desired zero value (false, 0, "", {}, []) for a field live does not
// have is dropped: the API server omits such fields (omitempty).
//
// Pure; thread-safe.
#pragma once

#include "core/object.h"

namespace gitopsd::diff::internal {

// Both objects must be normalized mappings of the same kind.
Object Overlay(const Object& live, const Object& desired);

}  // namespace gitopsd::diff::internal
