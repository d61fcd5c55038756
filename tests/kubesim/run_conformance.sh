#!/usr/bin/env bash
# Starts a fresh kubesim over HTTPS on a free port and runs the shared
# kube-sim-conformance battery against it; passes only on "N passed, 0 failed".
# usage: run_conformance.sh KUBESIM_BINARY CONFORMANCE_SCRIPT [extra args...]
set -u
kubesim=$1
conformance=$2
shift 2
work=$(mktemp -d)
token="ctest-$RANDOM$RANDOM"
cleanup() {
  if [[ -n "${pid:-}" ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$kubesim" --listen 127.0.0.1:0 --token "$token" --cert-dir "$work/certs" \
  --kubeconfig-out "$work/kubeconfig" --log-level warn >"$work/out" 2>"$work/err" &
pid=$!
url=""
for _ in $(seq 1 200); do
  url=$(sed -n 's/^kubesim serving on //p' "$work/out")
  [[ -n "$url" ]] && break
  sleep 0.1
done
if [[ -z "$url" ]]; then
  echo "kubesim did not start:"; cat "$work/err"; exit 1
fi
out=$(python3 "$conformance" --server "$url" --ca "$work/certs/ca.crt" --token "$token" "$@" 2>"$work/conf.err")
rc=$?
echo "$out"
if [[ $rc -ne 0 ]]; then echo "--- conformance stderr ---"; tail -50 "$work/conf.err"; fi
last=$(echo "$out" | tail -1)
if [[ "$last" =~ ^[0-9]+\ passed,\ 0\ failed$ ]]; then exit 0; fi
exit 1
