// The console's static assets (HTML, CSS, JavaScript modules), embedded into
// the binary at build time by webui/embed.cmake: no files to install, no
// CDN, works offline. Immutable data; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace gitopsd::webui {

struct Asset {
  std::string_view name;          // "app.js", "views/overview.js", "index.html"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view body;
};

// "/assets/<content hash>": every asset but index.html is served below it.
extern const char kAssetPrefix[];

const std::vector<Asset>& AllAssets();

// The asset for a request path: "/" and "/index.html" give index.html;
// "<kAssetPrefix>/<name>" gives that asset. nullptr otherwise.
const Asset* FindAsset(std::string_view path);

}  // namespace gitopsd::webui
