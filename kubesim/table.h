// Internal: server-side printing (§11.4): meta.k8s.io/v1 Tables with the
// upstream column sets of the common kinds (Name + Age for the rest).
#pragma once

#include <string>
#include <vector>

#include "kubesim/cluster.h"

namespace gitopsd::kubesim {

// A Table of `objects`; `with_columns` false omits columnDefinitions
// (kubectl accepts them on every event, so watches always send them).
Object TableOf(const ResourceType& type, const std::vector<const Object*>& objects, const std::string& rv,
               bool with_columns);

// "45s", "5m", "3h12m", "2d" since an RFC 3339 time.
std::string Age(const std::string& since);

}  // namespace gitopsd::kubesim
