// Loads fixtures from tests/testdata/diff/.
#pragma once

#include <string>

#include "core/object.h"

namespace gitopsd::diff::testing {

// Parses tests/testdata/diff/<relative> as JSON; fails the test (and
// returns null) when the file is missing or malformed.
Object LoadJson(const std::string& relative);

}  // namespace gitopsd::diff::testing
