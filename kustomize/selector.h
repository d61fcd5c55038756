// Kustomize resource selectors: a patch `target:`, a replacement `select:` /
// `reject:` entry. Fields: group, version, kind, name, namespace,
// labelSelector, annotationSelector; "" matches anything.
//
// Two matching modes, as Kustomize v5.5.0 has them:
//  * kRegex (patch targets): group/version/kind/name/namespace are regular
//    expressions anchored as ^(?:...)$; name and namespace match the
//    object's current or any earlier (pre-rename) value; an object without
//    a namespace is in "default" unless its kind is cluster-scoped.
//  * kExact (replacements): plain string equality, all fields against one
//    id (current or earlier); "" and "default" namespaces are equal. So
//    `kind: A|B` selects nothing, silently.
// labelSelector / annotationSelector use core/label_selector.h in both.
//
// Selector is an immutable value once parsed; thread-safe.
#pragma once

#include <regex>
#include <string>
#include <vector>

#include "core/label_selector.h"
#include "core/object.h"
#include "core/resid.h"
#include "core/status.h"

namespace gitopsd::kustomize {

class Selector {
 public:
  enum class Mode { kRegex, kExact };

  std::string group, version, kind, name, namespace_;
  std::string label_selector, annotation_selector;

  Selector() = default;

  // Parses a selector mapping. Errors name the field (`target: unknown
  // field "knd"`, `target: name: invalid regular expression ...`);
  // `context` prefixes them.
  static Result<Selector> Parse(const Object& mapping, Mode mode, std::string_view context);

  // True when no field is set.
  bool Empty() const;
  // True when only labelSelector/annotationSelector may be set.
  bool IdEmpty() const;

  // Whether `obj` is selected; `earlier_ids` are ids the object had before
  // renames (oldest first; may be empty).
  bool Matches(const Object& obj, const std::vector<ResId>& earlier_ids = {}) const;

  // The id part only (no label/annotation selectors) against one id.
  bool MatchesId(const ResId& id) const;
  // The label and annotation selectors only.
  bool MatchesLabelsAndAnnotations(const Object& obj) const;

 private:
  bool MatchField(size_t field, const std::string& value) const;

  Mode mode_ = Mode::kRegex;
  std::vector<std::regex> regexes_;  // group, version, kind, name, namespace (kRegex)
  LabelSelector labels_, annotations_;
};

// Kustomize's namespace of an id for matching: the namespace, "default" for
// an unset one, "" for cluster-scoped built-in kinds.
std::string EffectiveNamespaceForMatch(const ResId& id);

}  // namespace gitopsd::kustomize
