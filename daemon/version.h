// The gitopsd version string.
#pragma once

namespace gitopsd {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace gitopsd
