#!/usr/bin/env bash
# The ctest step of the browser tests: installs what they need, then runs them.
#   run_browser_test.sh --gitopsd BIN --kubesim BIN --node-dir DIR --artifacts DIR
# 1. chromium from Debian (deploy/install-deps.sh --browser: installs it when
#    missing, as root; otherwise says what is missing and this test fails).
# 2. `npm ci` of the pinned playwright-core into DIR (the npm cache makes
#    repeated runs offline).
# 3. node run.mjs with the same arguments.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
node_dir=""
args=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --node-dir) node_dir="$2"; shift 2 ;;
    *) shift ;;
  esac
done
[[ -n "$node_dir" ]] || { echo "browser_test: --node-dir is required" >&2; exit 2; }

if ! "$root/deploy/install-deps.sh" --browser; then
  echo "browser_test: FAILED: cannot install the browser dependencies (chromium)" >&2
  exit 1
fi
if [[ ! -x /usr/bin/chromium ]]; then
  echo "browser_test: FAILED: /usr/bin/chromium is missing after deploy/install-deps.sh --browser" >&2
  exit 1
fi
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "browser_test: FAILED: node and npm are required (Debian packages nodejs, npm)" >&2
  exit 1
}

mkdir -p "$node_dir"
cp "$here/package.json" "$here/package-lock.json" "$node_dir/"
(cd "$node_dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)

exec node "$here/run.mjs" "${args[@]}"
