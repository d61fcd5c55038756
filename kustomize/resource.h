// Resource and ResourceList: the renderer's working set (internal to
// gitopsd::kustomize).
//
// A Resource is one Kubernetes object plus the build bookkeeping Kustomize
// keeps while rendering: the ids the object had before renames (so name
// references can follow it), the name prefixes/suffixes applied to it, and
// generator flags. Kustomize stores these as internal annotations; here they
// are plain fields, so they never leak into the output. Values; not
// thread-shared.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/resid.h"
#include "core/status.h"

namespace gitopsd::kustomize {

// Kustomize's namespace comparison: "" and "default" are the same namespace;
// cluster-scoped kinds have no namespace at all. Cluster-scoped means listed
// so (for that exact group and version) in Kustomize's built-in schema.
bool IsClusterScoped(std::string_view group, std::string_view version, std::string_view kind);
std::string EffectiveNamespace(const ResId& id);
bool SameNamespace(const ResId& a, const ResId& b);
// Same group, version, kind, name and effective namespace.
bool SameId(const ResId& a, const ResId& b);

// A group/version/kind selector where "" matches anything.
struct Gvk {
  std::string group, version, kind;
  bool Selects(const ResId& id) const {
    return (group.empty() || group == id.group) && (version.empty() || version == id.version) &&
           (kind.empty() || kind == id.kind);
  }
};

// Kustomize's id string "Kind.version.group|name.namespace" (with ~G/~X/~N
// placeholders), used in messages and in error-compatible places.
std::string IdString(const ResId& id);

enum class GenBehavior { kUnspecified, kCreate, kMerge, kReplace };

struct Resource {
  Object obj;
  // Ids this object had before each rename (oldest first).
  std::vector<ResId> prev_ids;
  std::vector<std::string> name_prefixes;
  std::vector<std::string> name_suffixes;
  GenBehavior behavior = GenBehavior::kUnspecified;
  bool needs_hash = false;
  // Set on strategic-merge patches whose options allow renaming.
  bool allow_name_change = false;
  bool allow_kind_change = false;
  // Names of vars this resource's fields referenced (legacy vars).
  std::vector<std::string> ref_var_names;
  // Where it came from, for messages ("base/deploy.yaml").
  std::string source;

  ResId CurId() const { return ResId::Of(obj); }
  // The id before the first rename (or the current id).
  ResId OrgId() const { return prev_ids.empty() ? CurId() : prev_ids.front(); }
  // Records the current id as a previous one (before a rename).
  void StorePreviousId();
  std::string Name() const { return NameOf(obj); }
  std::string Namespace() const { return NamespaceOf(obj); }
  std::string Kind() const { return KindOf(obj); }
  void SetName(const std::string& name);
  void SetNamespace(const std::string& ns);
};

using ResourceList = std::vector<Resource>;

// Index of the resource whose current id equals `id` (Kustomize equality),
// or -1.
int FindByCurrentId(const ResourceList& list, const ResId& id);
// Indices of resources whose current or any previous id equals `id`.
std::vector<int> FindByAnyId(const ResourceList& list, const ResId& id);

// Appends, refusing a second resource with the same current id.
Status AppendUnique(ResourceList& list, Resource res);

// The string-valued map at metadata.<field> (labels/annotations), creating it.
Object& MetadataMap(Object& obj, const char* field);

}  // namespace gitopsd::kustomize
