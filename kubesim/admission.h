// Internal: what the simulated API server does to an object between
// decoding and storing it: mutating admission and defaulting (§9, via
// kubesim/defaults.h), allocation of Service cluster IPs and node ports, and
// the validation of §5. Functions require the cluster lock.
#pragma once

#include <optional>

#include "kubesim/state.h"

namespace gitopsd::kubesim {

// Mutates `obj` (old = the stored object on updates, nullptr on create).
std::optional<ApiError> Admit(ServerState& state, const ResourceType& type, Object& obj, const Object* old);

// Validation failures as 422 Invalid with causes.
std::optional<ApiError> Validate(const ResourceType& type, const Object& obj, const Object* old);

// metadata.name: required, DNS-1123 subdomain (label for namespaces and
// services).
std::optional<ApiError> ValidateName(const ResourceType& type, const std::string& name);

}  // namespace gitopsd::kubesim
