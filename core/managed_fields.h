// Field sets of server-side apply (structured-merge-diff), as Kubernetes
// stores them in `metadata.managedFields[].fieldsV1`.
//
// A FieldPath names one node of an object: a sequence of PathElements, each a
// field name (`f:spec`), a keyed item of an associative list
// (`k:{"name":"main"}`), an item of a set list (`v:"x"`) or a positional item
// (`i:3`). A FieldSet is a set of such paths; a path in the set is a
// "member" (owned). In fieldsV1 a member with no member below it is written
// `{}`, a member that also has members below it gets a `".": {}` entry.
//
// Everything here is a value type: copy freely, not thread-shared. Schema
// knowledge (which lists are keyed) lives in core/managed_fields_schema.h,
// object walks in core/managed_fields_ops.h, managedFields entries in
// core/managed_fields_entries.h.
#pragma once

#include <compare>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/status.h"

namespace gitopsd {

// One step of a FieldPath. Ordering follows structured-merge-diff: field
// names < keys < values < indexes, then by content.
class PathElement {
 public:
  enum class Kind { kField = 0, kKey = 1, kValue = 2, kIndex = 3 };

  static PathElement Field(std::string name);
  // `key_fields` is a JSON object {keyField: value, ...} of an associative
  // list item's merge keys.
  static PathElement Key(const Object& key_fields);
  static PathElement Value(const Object& value);
  static PathElement Index(int64_t index);

  // Parses one fieldsV1 key: "f:x", "k:{...}", "v:<json>", "i:<n>".
  static Result<PathElement> FromFieldsV1Key(std::string_view key);

  Kind kind() const { return kind_; }
  const std::string& field() const { return text_; }  // kField only
  // kKey: the key object; kValue: the value.
  const Object& value() const { return value_; }
  int64_t index() const { return index_; }

  // "f:x", "k:{\"name\":\"main\"}" (keys sorted, no spaces), "v:\"x\"", "i:3".
  std::string ToFieldsV1Key() const;
  // The apiserver's conflict rendering: ".x", "[name=\"main\"]",
  // "[containerPort=80,protocol=\"TCP\"]", "[=\"x\"]", "[3]".
  std::string ToString() const;

  std::strong_ordering operator<=>(const PathElement& other) const;
  bool operator==(const PathElement& other) const { return (*this <=> other) == 0; }

 private:
  Kind kind_ = Kind::kField;
  std::string text_;  // field name, or canonical JSON of key/value
  Object value_;      // kKey / kValue
  int64_t index_ = 0;
};

using FieldPath = std::vector<PathElement>;

// ".spec.template.spec.containers[name=\"main\"].image" ("" for the root).
std::string PathString(const FieldPath& path);
// The field-name skeleton of a path, list items elided and names joined by
// '.': ".spec.containers[name=\"a\"].ports[...]" -> "spec.containers.ports".
// This is the form FieldSchema lookups take.
std::string SchemaPath(const FieldPath& path);

// A set of member paths.
class FieldSet {
 public:
  FieldSet() = default;

  void Insert(FieldPath path) { paths_.insert(std::move(path)); }
  void Erase(const FieldPath& path) { paths_.erase(path); }
  bool Has(const FieldPath& path) const { return paths_.count(path) != 0; }
  // True when a member lies strictly below `prefix`.
  bool HasMemberBelow(const FieldPath& prefix) const;
  bool empty() const { return paths_.empty(); }
  size_t size() const { return paths_.size(); }
  const std::set<FieldPath>& paths() const { return paths_; }
  auto begin() const { return paths_.begin(); }
  auto end() const { return paths_.end(); }

  FieldSet Union(const FieldSet& other) const;
  FieldSet Difference(const FieldSet& other) const;
  FieldSet Intersection(const FieldSet& other) const;
  // Members equal to or below `prefix`, with the prefix kept.
  FieldSet WithPrefix(const FieldPath& prefix) const;

  // The fieldsV1 JSON tree (children in FieldSet order, "." first).
  Object ToFieldsV1() const;
  // Parses a fieldsV1 tree; errors name the offending key.
  static Result<FieldSet> FromFieldsV1(const Object& fields_v1);

  bool operator==(const FieldSet&) const = default;

 private:
  std::set<FieldPath> paths_;
};

}  // namespace gitopsd
