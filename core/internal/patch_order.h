// List ordering of the API server's strategic merge patch (internal to
// core/patch): where merged, new and server-only items end up.
#pragma once

#include <string>
#include <vector>

#include "core/object.h"

namespace gitopsd::patch_internal {

// Items named by the patch order (the patch list or $setElementOrder) in
// that order, interleaved with server-only items kept where the server
// order puts them (apimachinery's normalizeElementOrder). `key` is the
// merge key ("" for scalars).
std::vector<Object> NormalizeOrder(const std::vector<Object>& merged,
                                   const std::vector<Object>& patch_order,
                                   const std::vector<Object>& server_order,
                                   const std::string& key);

}  // namespace gitopsd::patch_internal
