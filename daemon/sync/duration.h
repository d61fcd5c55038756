// Durations as users write them on command lines and in config: "30s",
// "5m", "1h30m", "250ms", or a bare number of seconds. Pure.
#pragma once

#include <chrono>
#include <string_view>

#include "core/status.h"

namespace gitopsd::sync {

Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace gitopsd::sync
