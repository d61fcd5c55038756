// gitopsd_microbench: YAML parse/emit, Kustomize Render (in memory and from
// disk) and diff CompareObjects on the generated benchmark trees.
//
//   build/bin/gitopsd_microbench [--benchmark_filter=Render] [google benchmark flags]
//
// The trees come from $GITOPSD_BENCH_TREES (default build/bench-trees, which
// bench/compare_kustomize.py generates); benchmarks whose tree is missing are
// reported as errors, not skipped silently.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
