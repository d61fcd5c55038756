# gitopsd — the README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)

.PHONY: all deps deps-demo deps-browser build test test-unit demo bench clean

all: build

deps:
	@deploy/install-deps.sh

deps-demo:
	@deploy/install-deps.sh --demo

# Also chromium, for the console's browser tests (tests/browser).
deps-browser:
	@deploy/install-deps.sh --browser

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# Every test suite, under AddressSanitizer + UndefinedBehaviorSanitizer.
test: deps-browser
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -j $(JOBS) --timeout 900

# kubesim + a sample env repo (deploy/examples/shop) + gitopsd + console.
# Installs only what it needs and builds only the two executables it runs, in
# build-demo/ at -O0 without debug info (the `demo` preset): 45% of the CPU
# time of the release build (-O2 -g), which `make build` and `make bench` use.
demo: deps-demo
	@cmake --preset demo >/dev/null
	@cmake --build --preset demo -j $(JOBS) --target gitopsd kubesim
	@DEMO_BIN=$(CURDIR)/build-demo/bin deploy/demo.sh

# Release build, then: gitopsd build vs kubectl kustomize on the trees of
# ../shared/bench (generated into build/bench-trees), the Google Benchmark
# micro-benchmarks and the kubesim load run. Results land in
# build/bench-results/; docs/BENCHMARKS.md quotes them. BENCH_RUNS=N changes
# the number of timed runs per case (kubectl's large and monorepo: 3).
BENCH_RUNS ?= 5
bench: build
	@mkdir -p build/bench-results
	@bench/compare_kustomize.py --gitopsd build/bin/gitopsd --runs $(BENCH_RUNS)
	@build/bin/gitopsd_microbench --benchmark_out=build/bench-results/microbench.json \
	  --benchmark_out_format=json
	@set -o pipefail; build/bin/kubesim_load --objects 20000 --clients 100 --watchers 20 \
	  --seconds 10 | tee build/bench-results/kubesim_load.txt

clean:
	rm -rf build build-asan build-demo
