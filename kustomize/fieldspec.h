// FieldSpec: "which field of which kinds" a transformer touches, as in
// Kustomize's configurations (`path: spec/template/metadata/labels`,
// `kind: Deployment`, `create: true`). Internal to gitopsd::kustomize.
//
// Paths are '/'-separated field names; "\/" escapes a slash inside a name
// (annotation keys); a trailing "[]" marks a list field. A list met anywhere
// on the path is walked element by element, as Kustomize does. Pure
// functions; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/object.h"
#include "core/status.h"
#include "kustomize/resource.h"

namespace gitopsd::kustomize {

struct FieldSpec {
  Gvk gvk;
  std::string path;  // as written
  bool create = false;

  std::vector<std::string> Segments() const;
  bool operator==(const FieldSpec& o) const {
    return gvk.group == o.gvk.group && gvk.version == o.gvk.version && gvk.kind == o.gvk.kind &&
           path == o.path;
  }
};

using FieldSpecs = std::vector<FieldSpec>;

// Parses a list of {path, group, version, kind, create} mappings.
Result<FieldSpecs> ParseFieldSpecs(const Object& list, std::string_view what);

// Appends the specs of `more` not already in `into` (same gvk and path);
// Kustomize refuses a duplicate that differs only in `create`, and so do we.
Status MergeFieldSpecs(FieldSpecs& into, const FieldSpecs& more);

// What to create at a missing leaf when the spec says create.
enum class LeafKind { kNone, kScalar, kMap };

// Calls `set` on every node the spec's path reaches in `obj` (several when the
// path crosses lists). Missing intermediate fields are created as maps when
// spec.create (and the leaf as `leaf`); otherwise the walk stops silently.
Status ApplyFieldSpec(Object& obj, const FieldSpec& spec, LeafKind leaf,
                      const std::function<Status(Object&)>& set);

// ApplyFieldSpec for every spec whose gvk selects `id`.
Status ApplyFieldSpecs(Object& obj, const ResId& id, const FieldSpecs& specs, LeafKind leaf,
                       const std::function<Status(Object&)>& set);

}  // namespace gitopsd::kustomize
