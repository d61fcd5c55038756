// Internal: CustomResourceDefinitions (§13): validation and status on
// write, and turning served versions into registered resource types.
// Functions require the cluster lock.
#pragma once

#include <optional>

#include "kubesim/state.h"

namespace gitopsd::kubesim {

// Validates a CRD and fills defaults and its status (Established etc.).
std::optional<ApiError> PrepareCrd(const Cluster& cluster, Object& crd);

// Registers (or updates) the resource type a CRD defines.
void RegisterCrd(Cluster& cluster, const Object& crd);

// The storage key ("group/plural") a CRD defines.
std::string CrdStorageKey(const Object& crd);

}  // namespace gitopsd::kubesim
