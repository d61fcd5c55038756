// Internal: decoding of the protobuf request bodies kubectl 1.32 sends for
// `create namespace|configmap|secret|serviceaccount` (§2.4) into JSON
// objects. Other kinds -> 415. Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "kubesim/api_error.h"

namespace gitopsd::kubesim {

std::optional<ApiError> DecodeProtobuf(const std::string& body, Object* out);

}  // namespace gitopsd::kubesim
