# gitopsd — the README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)

.PHONY: all deps deps-browser build test test-unit demo bench clean

all: build

deps:
	@deploy/install-deps.sh

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
demo: build
	@deploy/demo.sh

bench: build
	@echo "make bench: no benchmarks yet" >&2

clean:
	rm -rf build build-asan
