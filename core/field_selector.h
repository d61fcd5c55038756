// Kubernetes field selectors (`fieldSelector=` query parameter):
// `metadata.name=x,metadata.namespace!=y` — comma = AND, operators `=`, `==`,
// `!=`; `\,`, `\=` and `\\` escape those characters in values. Which fields
// a kind supports is the caller's decision (ValidateFields); matching reads
// the field as a dotted path of the object, a missing field being "".
//
// FieldSelector is an immutable value; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/object.h"
#include "core/status.h"

namespace gitopsd {

struct FieldRequirement {
  std::string field;  // "metadata.name"
  bool not_equals = false;
  std::string value;
};

class FieldSelector {
 public:
  FieldSelector() = default;  // matches everything

  // Errors name the term: `invalid selector: 'x': can't understand 'x'`.
  static Result<FieldSelector> Parse(std::string_view text);

  // True when every requirement holds; field values are scalars rendered
  // as strings (true/false, numbers as written), missing or null = "".
  bool Matches(const Object& obj) const;

  // Fails with `field label not supported: <field>` for a field not listed.
  Status ValidateFields(const std::vector<std::string>& supported) const;

  bool Empty() const { return requirements_.empty(); }
  const std::vector<FieldRequirement>& requirements() const { return requirements_; }

 private:
  std::vector<FieldRequirement> requirements_;
};

}  // namespace gitopsd
