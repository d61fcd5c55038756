#include "bench/bench_trees.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "kustomize/kustomize.h"

namespace gitopsd::bench {

const std::string& TreesDir() {
  static const std::string dir = [] {
    const char* env = std::getenv("GITOPSD_BENCH_TREES");
    return std::string(env != nullptr && *env != '\0' ? env : GITOPSD_BENCH_TREES_DEFAULT);
  }();
  return dir;
}

const MemoryFileSystem* TreeInMemory(const std::string& tree) {
  static std::map<std::string, std::unique_ptr<MemoryFileSystem>> cache;
  auto it = cache.find(tree);
  if (it != cache.end()) return it->second.get();
  namespace fs = std::filesystem;
  const fs::path root = fs::path(TreesDir()) / tree;
  std::unique_ptr<MemoryFileSystem> mem;
  std::error_code ec;
  if (fs::is_directory(root, ec)) {
    mem = std::make_unique<MemoryFileSystem>();
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      mem->AddFile(fs::relative(entry.path(), root).generic_string(), text.str());
    }
  }
  return cache.emplace(tree, std::move(mem)).first->second.get();
}

const ObjectList* RenderedObjects(const std::string& tree, const std::string& target,
                                  std::string* error) {
  static std::map<std::string, ObjectList> cache;
  const std::string key = tree + "/" + target;
  auto it = cache.find(key);
  if (it != cache.end()) return &it->second;
  const MemoryFileSystem* fs = TreeInMemory(tree);
  if (fs == nullptr) {
    *error = TreesDir() + "/" + tree + " missing: run bench/compare_kustomize.py (or make bench)";
    return nullptr;
  }
  auto rendered = kustomize::Render(*fs, target);
  if (!rendered.ok()) {
    *error = key + ": " + rendered.status().ToString();
    return nullptr;
  }
  return &cache.emplace(key, std::move(rendered->objects)).first->second;
}

}  // namespace gitopsd::bench
