// Internal: the labelSelector / fieldSelector filters of list, watch and
// deletecollection requests (§11.2), on top of core/label_selector.h and
// core/field_selector.h. A ListFilter is an immutable value once parsed.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "kubesim/state.h"

namespace gitopsd::kubesim {

class ListFilter {
 public:
  // Parses labelSelector and fieldSelector of `req` for kind `type` (400 on
  // syntax errors or unsupported field selectors).
  static std::optional<ApiError> Parse(const ApiRequest& req, const ResourceType& type, ListFilter* out);

  bool Matches(const Object& obj) const;
  bool empty() const;

  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace gitopsd::kubesim
