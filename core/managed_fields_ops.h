// Walks that connect objects and field sets (structured-merge-diff rules):
// the set of fields an object or applied configuration specifies, the
// fields that differ between two versions of an object, lookup and removal
// of the node a FieldPath names.
//
// Pure functions of values; thread-compatible.
#pragma once

#include "core/managed_fields.h"
#include "core/managed_fields_schema.h"
#include "core/object.h"
#include "core/status.h"

namespace gitopsd {

// Semantic equality of two JSON values: object key order is ignored,
// numbers compare by value.
bool ValuesEqual(const Object& a, const Object& b);

// The path element of `item`, an element of a list with schema `list`:
// `k:{...}` (omitted key fields take their defaults), `v:<item>` for sets,
// `i:<index>` for atomic lists. An associative item without a key field and
// without a default is an error naming the field.
Result<PathElement> ListItemElement(const Object& item, const ListSchema& list, size_t index);

// Every field `obj` specifies (the "field set" of an applied configuration):
// scalars, atomic lists/maps and list items are members, granular maps are
// only containers (an empty granular map contributes nothing). Errors:
// associative items without their keys, duplicate keys.
Result<FieldSet> FieldsOf(const Object& obj, const ApplySchema& schema);

// What changed from `before` to `after` (`before` null = created from
// nothing). A node present on one side only is reported together with every
// node below it; containers whose contents changed are not "modified".
struct FieldChanges {
  FieldSet added;
  FieldSet removed;
  FieldSet modified;
  FieldSet AddedOrModified() const { return added.Union(modified); }
};
FieldChanges CompareObjects(const Object* before, const Object& after, const ApplySchema& schema);

// The node `path` names inside `obj`, or nullptr when absent.
const Object* FindField(const Object& obj, const FieldPath& path, const ApplySchema& schema);

// Removes the node `path` names (a map key or list item) and then every map
// or list that this left empty on the way up. False when it was absent.
bool EraseField(Object& obj, const FieldPath& path, const ApplySchema& schema);

// Removes the leaf members of `set` from `obj` (a member with members below
// it stays: it only marks the container; key fields of associative items
// stay too), pruning containers left empty.
void RemoveFields(Object& obj, const FieldSet& set, const ApplySchema& schema);

}  // namespace gitopsd
