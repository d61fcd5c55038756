// Kubernetes label selectors: the string form used by `labelSelector=` query
// parameters, `kubectl -l` and Kustomize `labelSelector:` /
// `annotationSelector:` fields, and the structured metav1.LabelSelector
// (matchLabels / matchExpressions) found in Deployments and Services.
//
// Grammar (comma = AND): `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
// `k` (exists), `!k` (does not exist), `k>3`, `k<3` (integer compare). Keys
// are qualified names (`[prefix/]name`), values are label values; both are
// validated as the API server does. `!=` and `notin` also match objects
// without the key. An empty selector matches everything.
//
// LabelSelector is an immutable value; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/status.h"

namespace gitopsd {

struct LabelRequirement {
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist, kGreaterThan, kLessThan };
  std::string key;
  Op op = Op::kExists;
  std::vector<std::string> values;  // one for (not)equals/gt/lt, >=1 for (not)in

  bool Matches(const Object& labels) const;
};

class LabelSelector {
 public:
  LabelSelector() = default;  // matches everything

  // Parses the string form. Errors read like the API server's
  // (`unable to parse requirement: ...`, `invalid label key "x": ...`).
  static Result<LabelSelector> Parse(std::string_view text);

  // From a metav1.LabelSelector mapping; null or {} selects everything
  // (callers that want "nothing" for null check before).
  static Result<LabelSelector> FromObject(const Object& selector);

  // `labels` is a string->string mapping (or null / missing = no labels).
  bool Matches(const Object& labels) const;
  bool Matches(const std::map<std::string, std::string>& labels) const;
  // Matches metadata.labels of an object.
  bool MatchesObjectLabels(const Object& obj) const;

  bool Empty() const { return requirements_.empty(); }
  const std::vector<LabelRequirement>& requirements() const { return requirements_; }

  // Canonical string form (`a=b,c in (d,e),!f`), parseable by Parse().
  std::string ToString() const;

 private:
  std::vector<LabelRequirement> requirements_;
};

// Validation used by the parser, exposed for callers validating objects.
Status ValidateLabelKey(std::string_view key);
Status ValidateLabelValue(std::string_view value);

}  // namespace gitopsd
