// Internal: managedFields bookkeeping for non-apply writes (§7.5, §8.3
// "Non-apply writes"): the fields a write changed move to the writer's
// Update entry. Delegates to kubesim/ssa.h.
#pragma once

#include <string>

#include <optional>

#include "kubesim/api_error.h"
#include "kubesim/cluster.h"

namespace gitopsd::kubesim {

// Server-side apply of `applied` by `manager` onto `live` (nullptr =
// create): conflicts (409 unless `force`), merge, removal of fields the
// manager stopped applying, managedFields. The result goes to `out`.
std::optional<ApiError> ApplyToObject(const ResourceType& type, const Object* live, const Object& applied,
                                      const std::string& manager, const std::string& subresource, bool force,
                                      Object* out);

void RecordUpdateOwnership(const ResourceType& type, const Object* old, Object& obj, const std::string& manager,
                           const std::string& subresource);

}  // namespace gitopsd::kubesim
