// YAML parse and emit of a large multi-document stream: the rendered output
// of the `large` tree (3101 resources, ~3.4 MB) and of medium/overlays/dev.
#include <benchmark/benchmark.h>

#include <string>

#include "bench/bench_trees.h"
#include "core/yaml.h"

namespace gitopsd::bench {
namespace {

const std::string* StreamText(const std::string& tree, const std::string& target,
                              std::string* error) {
  const ObjectList* objects = RenderedObjects(tree, target, error);
  if (objects == nullptr) return nullptr;
  static std::string large, medium;
  std::string& text = tree == "large" ? large : medium;
  if (text.empty()) text = WriteYamlStream(*objects);
  return &text;
}

void BM_YamlParseStream(benchmark::State& state, const std::string& tree,
                        const std::string& target) {
  std::string error;
  const std::string* text = StreamText(tree, target, &error);
  if (text == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  size_t docs = 0;
  for (auto _ : state) {
    auto parsed = ParseYamlStream(*text);
    if (!parsed.ok()) {
      state.SkipWithError(parsed.status().ToString().c_str());
      return;
    }
    docs = parsed->size();
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text->size()));
  state.counters["docs"] = double(docs);
}

void BM_YamlEmitStream(benchmark::State& state, const std::string& tree,
                       const std::string& target) {
  std::string error;
  const ObjectList* objects = RenderedObjects(tree, target, &error);
  if (objects == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out = WriteYamlStream(*objects);
    bytes = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes));
  state.counters["docs"] = double(objects->size());
}

BENCHMARK_CAPTURE(BM_YamlParseStream, large, std::string("large"), std::string("layers/l4-env"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_YamlParseStream, medium, std::string("medium"), std::string("overlays/dev"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_YamlEmitStream, large, std::string("large"), std::string("layers/l4-env"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_YamlEmitStream, medium, std::string("medium"), std::string("overlays/dev"))
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gitopsd::bench
