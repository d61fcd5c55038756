// Field paths of the replacements transformer (internal to
// kustomize/replacements*.cc): splitting, walking with optional creation,
// and writing a value the way kyaml's replacement filter does.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/status.h"

namespace gitopsd::kustomize::replacements_internal {

struct FieldOptions {
  std::string delimiter;
  int index = 0;
  bool create = false;
};

// "a.[name=x.y].b" -> {"a", "[name=x.y]", "b"}: dots inside [] do not split.
std::vector<std::string> SplitFieldPath(std::string_view path);

// Calls `visit(node, created)` on every node `path` reaches from `root`
// (several through `*` or `[k=v]` matching several items). With `create`,
// missing fields and `[k=v]` items are added; a created leaf is null and
// `created` is true. Reaching nothing is not an error here; a field name met
// on a list or scalar is ("wrong node kind: ...").
Status WalkPath(Object& root, const std::vector<std::string>& path, bool create,
                const std::function<Status(Object&, bool)>& visit);

// The first node a source path reaches (nullptr: none); there "-" is the
// last list item. A field name met on a list or scalar is an error.
Result<const Object*> LookupPath(const Object& root, const std::vector<std::string>& path);

// The scalar's text as YAML prints it ("3", "true", "abc"; "" for null).
std::string ScalarText(const Object& v);

// Applies options.delimiter/index to a source value.
Result<Object> RefineSourceValue(const Object& value, const FieldOptions& options);

// Writes `value` into `target` (see replacements.h for the typing rules).
Status SetTargetValue(Object& target, bool created, const Object& value,
                      const FieldOptions& options);

}  // namespace gitopsd::kustomize::replacements_internal
