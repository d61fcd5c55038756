// The type knowledge server-side apply needs: which lists are associative
// (merged item by item under `k:` keys), which are sets (`v:` items), which
// are atomic, and which maps/structs are atomic (replaced whole, owned as one
// leaf).
//
// Built-in kinds take their keyed lists from core/k8s_schema.h (patch merge
// keys plus list-map keys) and add the SSA-only facts: key defaults
// (`protocol: TCP` for ports), atomic structs and maps (LabelSelectors,
// Service `spec.selector`, `nodeSelector`). Custom resources: maps granular,
// lists atomic, unless their CRD schema says `x-kubernetes-list-type`,
// `x-kubernetes-list-map-keys` or `x-kubernetes-map-type: atomic`.
//
// An ApplySchema is an immutable value; copy freely, share across threads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/managed_fields.h"
#include "core/object.h"

namespace gitopsd {

struct ListSchema {
  enum class Type { kAtomic, kMap, kSet };
  Type type = Type::kAtomic;
  std::vector<std::string> keys;        // kMap: the key fields, in schema order
  Object key_defaults = Object::object();  // kMap: values of omitted key fields
};

class ApplySchema {
 public:
  // An empty schema: metadata rules only (ownerReferences by uid, finalizers a
  // set); every other list atomic, every map granular.
  ApplySchema();

  // The schema of a kind: built-in kinds as described above, anything else
  // like a custom resource without a schema.
  static ApplySchema ForKind(std::string_view api_version, std::string_view kind);

  // A custom resource whose version declares `open_api_v3_schema` (the CRD's
  // `spec.versions[].schema.openAPIV3Schema`).
  static ApplySchema ForCustomResource(const Object& open_api_v3_schema);

  // How the list at `path` (a FieldPath to the list field) merges.
  ListSchema List(const FieldPath& path) const;
  // Whether the map/struct at `path` is atomic.
  bool IsAtomicMap(const FieldPath& path) const;

  // For the CRD loader and tests: set rules for a schema path
  // ("spec.items", list items elided, see SchemaPath()).
  void SetList(std::string schema_path, ListSchema list);
  void SetAtomicMap(std::string schema_path);

 private:
  struct Rules;
  std::shared_ptr<const Rules> builtin_;  // null for non-built-in kinds
  std::map<std::string, ListSchema, std::less<>> lists_;
  std::map<std::string, bool, std::less<>> atomic_maps_;
};

}  // namespace gitopsd
