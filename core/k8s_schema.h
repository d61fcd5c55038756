// Kubernetes type knowledge gitopsd needs without an API server: the merge
// rules of built-in types for strategic merge patch (patchMergeKey /
// patchStrategy / list-map keys), which built-in kinds are namespaced, and
// the built-in resources the API simulator serves in discovery.
//
// The built-in tables are hand-written from the Kubernetes API reference
// (v1.32) and cover the types whose lists merge by key; a field that is not
// described inside a described type is a scalar, a map merged field by field,
// or an atomic (replaced) list. Schema values are plain data; the built-in
// instance returned by Schema::Builtin() is immutable and thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/status.h"

namespace gitopsd::k8s {

// How one field of a type merges.
struct FieldSchema {
  enum class Shape { kScalar, kObject, kList, kMap };
  Shape shape = Shape::kScalar;
  // kObject: the field's type name. kList/kMap: the element type name
  // ("" = scalar elements or an undescribed object).
  std::string type;
  // kList with merge: the patchMergeKey ("" = a set of scalars).
  std::string merge_key;
  // x-kubernetes-list-map-keys beyond merge_key (e.g. "protocol" for ports).
  std::vector<std::string> extra_keys;
  bool merge = false;        // patchStrategy includes "merge"
  bool retain_keys = false;  // patchStrategy includes "retainKeys"
};

// The fields of one object type; undescribed fields are absent.
struct TypeSchema {
  std::map<std::string, FieldSchema, std::less<>> fields;
  const FieldSchema* Field(std::string_view name) const;
};

// A set of named types plus the root type of each kind (by group and kind;
// versions of a kind share one type here).
class Schema {
 public:
  Schema() = default;

  // The built-in Kubernetes types (core, apps, batch, networking, rbac,
  // policy, autoscaling, admissionregistration, apiextensions, ...).
  static const Schema& Builtin();

  void AddType(std::string name, TypeSchema type);
  void SetKindType(std::string_view group, std::string_view kind, std::string type_name);

  const TypeSchema* Type(std::string_view name) const;
  // The root type of a kind; nullptr for kinds this schema does not know.
  const TypeSchema* TypeForKind(std::string_view group, std::string_view kind) const;
  bool KnowsKind(std::string_view group, std::string_view kind) const {
    return TypeForKind(group, kind) != nullptr;
  }

  // Adds the definitions of an OpenAPI document: Swagger 2 `definitions` or
  // OpenAPI 3 `components.schemas`. Reads `properties`, `items`, `$ref`,
  // `additionalProperties`, `x-kubernetes-patch-merge-key`,
  // `x-kubernetes-patch-strategy`, `x-kubernetes-list-map-keys`,
  // `x-kubernetes-list-type` and registers kinds named by
  // `x-kubernetes-group-version-kind`. Existing names are overwritten.
  Status AddOpenApi(const Object& document);

 private:
  std::map<std::string, TypeSchema, std::less<>> types_;
  std::map<std::string, std::string, std::less<>> kinds_;  // "group/Kind" -> type
};

// One built-in API resource as discovery serves it.
struct ResourceInfo {
  std::string group;     // "" = core
  std::string version;   // "v1"
  std::string kind;      // "Deployment"
  std::string plural;    // "deployments"
  std::string singular;  // "deployment"
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<std::string> verbs;
  std::vector<std::string> subresources;  // "status", "scale", "finalize"
  bool required = true;  // MUST in kube-api-contract §3.3 (false = SHOULD)
};

// Every built-in resource the simulator serves, in discovery order (core
// first, then groups in upstream priority order).
const std::vector<ResourceInfo>& BuiltinResources();

// The built-in resource of a group/kind (any version), or nullptr.
const ResourceInfo* FindBuiltinResource(std::string_view group, std::string_view kind);

// Scope of a built-in kind: true namespaced, false cluster-scoped, nullopt for
// kinds that are not built in (CRDs: ask the CRD). Covers every kind of the
// upstream API, not only the served ones.
std::optional<bool> IsNamespaced(std::string_view group, std::string_view kind);

}  // namespace gitopsd::k8s
