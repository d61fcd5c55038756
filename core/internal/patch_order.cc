// The API server's list ordering for strategic merge patch.
#include "core/internal/patch_order.h"

#include <algorithm>
#include <limits>

namespace gitopsd::patch_internal {
namespace {

// Position of `item` in `list`: by the value of `key` for maps, by equality
// for scalars; SIZE_MAX when absent.
size_t IndexIn(const std::vector<Object>& list, const Object& item, const std::string& key) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (key.empty()) {
      if (list[i] == item) return i;
    } else if (list[i].is_object() && item.is_object() && list[i].contains(key) &&
               item.contains(key) && list[i][key] == item[key]) {
      return i;
    }
  }
  return std::numeric_limits<size_t>::max();
}

}  // namespace

std::vector<Object> NormalizeOrder(const std::vector<Object>& merged,
                                   const std::vector<Object>& patch_order,
                                   const std::vector<Object>& server_order,
                                   const std::string& key) {
  std::vector<Object> patch_items, server_only;
  for (const auto& m : merged) {
    (IndexIn(patch_order, m, key) != std::numeric_limits<size_t>::max() ? patch_items
                                                                         : server_only)
        .push_back(m);
  }
  auto by = [&key](const std::vector<Object>& order) {
    return [&order, &key](const Object& a, const Object& b) {
      return IndexIn(order, a, key) < IndexIn(order, b, key);
    };
  };
  std::stable_sort(patch_items.begin(), patch_items.end(), by(patch_order));
  std::stable_sort(server_only.begin(), server_only.end(), by(server_order));
  std::vector<Object> out;
  size_t i = 0, j = 0;
  constexpr size_t kAbsent = std::numeric_limits<size_t>::max();
  while (i < server_only.size() || j < patch_items.size()) {
    if (j >= patch_items.size()) {
      out.push_back(server_only[i++]);
    } else if (i >= server_only.size()) {
      out.push_back(patch_items[j++]);
    } else {
      size_t li = IndexIn(server_order, server_only[i], key);
      size_t ri = IndexIn(server_order, patch_items[j], key);
      bool left_first = li != kAbsent && ri != kAbsent && li < ri;
      out.push_back(left_first ? server_only[i++] : patch_items[j++]);
    }
  }
  return out;
}

}  // namespace gitopsd::patch_internal
