// Internal building blocks of kubesim/ssa.cc: what part of an object
// ownership is tracked for, the structured merge of an applied
// configuration into a live object, and removal of fields a manager stopped
// applying.
#pragma once

#include <string>
#include <string_view>

#include "core/managed_fields.h"
#include "core/managed_fields_schema.h"
#include "core/object.h"
#include "kubesim/ssa.h"

namespace gitopsd::kubesim::internal {

// The schema of `obj` under `scope` (the override or the kind's).
ApplySchema SchemaFor(const Object& obj, const WriteScope& scope);

// Whether `key` of metadata is set by the server, never owned by managers.
bool IsServerMetadata(std::string_view key);
// Whether a write in `scope` owns the top-level field `key`.
bool OwnsTopLevel(std::string_view key, const WriteScope& scope);

// `obj` without what no manager owns: apiVersion, kind, metadata name /
// namespace / uid / resourceVersion / generation / creationTimestamp /
// managedFields / selfLink / deletion*, and `status` for main-resource
// writes of kinds with a status subresource (or everything but metadata and
// status for /status writes).
Object OwnedPart(const Object& obj, const WriteScope& scope);

// Rebuilds a full object from `owned` (an OwnedPart, possibly changed) and
// the parts of `base` nobody owns (apiVersion, kind, server metadata,
// status or spec as the scope says). managedFields are left out.
Object Reassemble(const Object& base, const Object& owned, const WriteScope& scope);

// `live` with `applied` merged in: maps merged key by key (a null value
// deletes the key), associative and set lists merged item by item keeping
// live's order for items the configuration does not mention, atomic lists
// and maps, and scalars, replaced. `applied` must be an OwnedPart().
Object MergeApplied(const Object& live, const Object& applied, const ApplySchema& schema);

// Removes from `obj` every path of `dropped` (fields a manager stopped
// applying) that `kept` does not own itself; a node with owned members
// below it stays (only its unowned parts go).
void RemoveDropped(Object& obj, const FieldSet& dropped, const FieldSet& kept, const ApplySchema& schema);

// "2025-05-15T20:09:34Z" for `scope.now` or the system clock.
std::string TimeOf(const WriteScope& scope);

}  // namespace gitopsd::kubesim::internal
