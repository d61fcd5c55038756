#!/usr/bin/env bash
# Installs the Debian 12 packages gitopsd needs to build, test and run.
# Idempotent: installs only what is missing, quiet when everything is present,
# and runs `apt-get update` only when something must be installed.
#
#   deploy/install-deps.sh --demo     only what `make demo` needs: the compiler,
#                                     the libraries and the demo script's tools
#   deploy/install-deps.sh            build + test dependencies
#   deploy/install-deps.sh --browser  also chromium (console browser tests)
set -euo pipefail

# Build and run: enough for gitopsd and kubesim (GITOPSD_TESTS=OFF) and for
# deploy/demo.sh (git, curl, openssl, python3).
pkgs=(
  g++ make cmake ninja-build pkg-config git ca-certificates
  libgit2-dev libyaml-cpp-dev libboost1.81-dev nlohmann-json3-dev libssl-dev
  libsqlite3-dev libcli11-dev libspdlog-dev libfmt-dev
  python3 openssl curl
)
mode=${1:-}
if [[ "$mode" != "--demo" ]]; then
  # Tests and benchmarks: GoogleTest/Benchmark, the e2e tests' git server
  # (nginx + fcgiwrap + git http-backend, sshd), promtool, PyYAML.
  pkgs+=(
    ccache libgtest-dev libgmock-dev libbenchmark-dev python3-yaml
    nginx-light fcgiwrap prometheus openssh-server openssh-client
  )
fi
if [[ "$mode" == "--browser" ]]; then
  pkgs+=(chromium fonts-dejavu-core)
  # Node.js runs the browser tests (playwright-core from npm, tests/browser).
  # The machine image ships Node 20 with its own npm; Debian's packages only
  # when there is none.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    pkgs+=(nodejs npm)
  fi
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
