// Kustomize Render of the benchmark trees, from a MemoryFileSystem (the
// renderer alone) and from a DiskFileSystem (plus file reads, as
// `gitopsd build` does; the page cache is warm after the first iteration).
#include <benchmark/benchmark.h>

#include <string>

#include "bench/bench_trees.h"
#include "kustomize/kustomize.h"

namespace gitopsd::bench {
namespace {

void ReportRender(benchmark::State& state, const FileSystem& fs, const std::string& target) {
  size_t objects = 0;
  for (auto _ : state) {
    auto rendered = kustomize::Render(fs, target);
    if (!rendered.ok()) {
      state.SkipWithError(rendered.status().ToString().c_str());
      return;
    }
    objects = rendered->objects.size();
    benchmark::DoNotOptimize(rendered);
  }
  state.counters["objects"] = double(objects);
}

void BM_RenderMemory(benchmark::State& state, const std::string& tree, const std::string& target) {
  const MemoryFileSystem* fs = TreeInMemory(tree);
  if (fs == nullptr) {
    state.SkipWithError((TreesDir() + "/" + tree + " missing: run make bench").c_str());
    return;
  }
  ReportRender(state, *fs, target);
}

void BM_RenderDisk(benchmark::State& state, const std::string& tree, const std::string& target) {
  auto fs = DiskFileSystem::Open(TreesDir() + "/" + tree);
  if (!fs.ok()) {
    state.SkipWithError(fs.status().ToString().c_str());
    return;
  }
  ReportRender(state, **fs, target);
}

#define GITOPSD_RENDER_BENCH(name, tree, target)                                           \
  BENCHMARK_CAPTURE(BM_RenderMemory, name, std::string(tree), std::string(target))         \
      ->Unit(benchmark::kMillisecond);                                                     \
  BENCHMARK_CAPTURE(BM_RenderDisk, name, std::string(tree), std::string(target))           \
      ->Unit(benchmark::kMillisecond)

GITOPSD_RENDER_BENCH(small_dev, "small", "overlays/dev");
GITOPSD_RENDER_BENCH(medium_dev, "medium", "overlays/dev");
GITOPSD_RENDER_BENCH(large_l4_env, "large", "layers/l4-env");
GITOPSD_RENDER_BENCH(monorepo_one_app, "monorepo", "apps/accounts-api/overlays/prod");

}  // namespace
}  // namespace gitopsd::bench
