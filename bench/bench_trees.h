// Inputs shared by the micro-benchmarks: the generated Kustomize trees of
// ../shared/bench (gen_bench.py; bench/compare_kustomize.py writes them to
// build/bench-trees) loaded once per process, and renders of them.
//
// Not thread-safe: benchmarks call these from their (single) setup thread.
#pragma once

#include <memory>
#include <string>

#include "core/filesystem.h"
#include "core/object.h"

namespace gitopsd::bench {

// $GITOPSD_BENCH_TREES, else the build tree's bench-trees/.
const std::string& TreesDir();

// A tree ("small", "medium", "large", "monorepo") copied into memory; null
// when the tree has not been generated. Cached for the process.
const MemoryFileSystem* TreeInMemory(const std::string& tree);

// The objects `gitopsd build TREE/TARGET` renders (cached); null (and a
// message in *error) when the tree is missing or the render fails.
const ObjectList* RenderedObjects(const std::string& tree, const std::string& target,
                                  std::string* error);

}  // namespace gitopsd::bench
