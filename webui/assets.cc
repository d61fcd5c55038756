#include "webui/assets.h"

namespace gitopsd::webui {

const Asset* FindAsset(std::string_view path) {
  std::string_view name;
  std::string_view prefix(kAssetPrefix);
  if (path == "/" || path == "/index.html") {
    name = "index.html";
  } else if (path.size() > prefix.size() + 1 && path.substr(0, prefix.size()) == prefix &&
             path[prefix.size()] == '/') {
    name = path.substr(prefix.size() + 1);
    if (name == "index.html") return nullptr;
  } else {
    return nullptr;
  }
  for (const Asset& a : AllAssets()) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace gitopsd::webui
