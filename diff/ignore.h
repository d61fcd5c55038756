// ignoreDifferences: per-app rules that take fields out of the comparison,
// the way Argo CD's `spec.ignoreDifferences` does (so migrating repos keep
// their rules), applied to both sides of a diff after normalization.
//
// A rule selects objects by group/kind/name/namespace and names fields by
// RFC 6901 JSON pointers (with `*` matching every list item or map key) or
// by field manager: every field the named managers own in the LIVE object's
// managedFields (e.g. "kube-controller-manager", "hpa-controller") is
// dropped from both sides.
//
// Values; pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/object.h"
#include "core/resid.h"
#include "core/status.h"

namespace gitopsd::diff {

struct IgnoreRule {
  // Selection. group: nullopt or "*" = any group, "" = the core group.
  // kind/name/namespace: "" or "*" = any; otherwise a shell glob
  // ("web-*"), matched with fnmatch.
  std::optional<std::string> group;
  std::string kind;
  std::string name;
  std::string namespace_;

  std::vector<std::string> json_pointers;            // "/spec/replicas"
  std::vector<std::string> managed_fields_managers;  // "kube-controller-manager"

  bool Matches(const ResId& id) const;
};

// Parses rules written as Argo CD's ignoreDifferences list
// ([{group, kind, name, namespace, jsonPointers: [...],
//   managedFieldsManagers: [...]}]). Errors name the rule index and field;
// `jqPathExpressions` is refused as Unimplemented.
Result<std::vector<IgnoreRule>> ParseIgnoreRules(const Object& list);

// Checks every pointer of every rule; InvalidArgument names the bad one.
Status ValidateIgnoreRules(const std::vector<IgnoreRule>& rules);

// Removes the fields the matching rules name from `desired` and `live` (each
// may be null). `live_raw` is the live object before normalization (its
// managedFields are read); null when there is none.
Status ApplyIgnoreRules(const std::vector<IgnoreRule>& rules, const ResId& id,
                        const Object& live_raw, Object& desired, Object& live);

}  // namespace gitopsd::diff
