// Kubernetes resource quantities ("500m", "1Gi", "2e3") in the canonical form
// the API server stores and returns them, so a manifest that says `cpu: 0.5`
// and a live object that says `cpu: 500m` compare equal.
//
// The canonical form follows apimachinery's resource.Quantity: the value is
// kept exactly (rounded up to nano units as the server does), and printed in
// the suffix family it was written in: binary suffixes (Ki..Ei) while the
// value is a whole number >= 1024, otherwise decimal SI (n, u, m, "", k, M,
// G, T, P, E) with an integer mantissa and an exponent that is a multiple of
// three; `e` notation stays in `e` notation. Zero is "0".
//
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/object.h"

namespace gitopsd::diff {

// The spelling the API server stores for a quantity string, or nullopt when
// `text` is not a valid quantity (or beyond 2^118 nano units). Binary values
// beyond 2^63-1 are clamped to it as the server does. Checked against recorded apimachinery output
// (tests/testdata/diff/quantities.tsv), including its quirk of keeping some
// inputs exactly as written ("+3", "1.500", "1E3").
std::optional<std::string> CanonicalQuantity(std::string_view text);

// Same for a JSON value: numbers are read as the API server reads them
// (`0.5` -> "500m", `2` -> "2"); non-quantity values yield nullopt.
std::optional<std::string> CanonicalQuantityValue(const Object& value);

}  // namespace gitopsd::diff
