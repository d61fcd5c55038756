#!/usr/bin/env bash
# Checks what users deploy: every Kustomize install variant renders the same
# with `gitopsd build` as with `kubectl kustomize`, and the Prometheus alert
# rules pass promtool's checks and unit tests. Prints "N passed, M failed".
set -u
bin=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 fail=0
check() {  # name, command...
  local name=$1; shift
  if out=$("$@" 2>&1); then
    echo "PASS $name"; pass=$((pass + 1))
  else
    echo "FAIL $name"; echo "$out" | tail -20; fail=$((fail + 1))
  fi
}
same_render() {
  local dir=$1 want got
  want=$(kubectl kustomize "$dir") || return 1
  got=$("$bin/gitopsd" build "$dir") || return 1
  diff <(echo "$want") <(echo "$got")
}
for d in base overlays/namespaced overlays/ingress; do
  check "render deploy/kubernetes/$d" same_render "$src/deploy/kubernetes/$d"
done
# The install applies to a cluster (kubesim over HTTPS, through the real
# kubeconfig it writes) and `gitopsd diff` sees nothing to do right after;
# switching variants under one app prunes what the previous one left.
work=$(mktemp -d)
"$bin/kubesim" --listen 127.0.0.1:0 --token deploy-check --kubeconfig-out "$work/kubeconfig" \
  --time-scale 20 >"$work/kubesim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/kubeconfig" ] && break; sleep 0.1; done
applies_cleanly() {
  local dir=$1 app=$2
  "$bin/gitopsd" apply "$dir" --app "$app" --kubeconfig "$work/kubeconfig" --prune --wait --timeout 60s &&
    "$bin/gitopsd" diff "$dir" --app "$app" --kubeconfig "$work/kubeconfig"
}
check "apply + diff exit 0: deploy/kubernetes/base" applies_cleanly "$src/deploy/kubernetes/base" gitopsd
check "apply + diff exit 0: deploy/kubernetes/overlays/ingress" applies_cleanly \
  "$src/deploy/kubernetes/overlays/ingress" gitopsd
check "apply + diff exit 0: deploy/kubernetes/overlays/namespaced" applies_cleanly \
  "$src/deploy/kubernetes/overlays/namespaced" gitopsd
if command -v promtool >/dev/null; then
  check "promtool check rules" promtool check rules "$src/deploy/monitoring/alerts.yaml"
  check "promtool test rules" promtool test rules "$src/deploy/monitoring/alerts_test.yaml"
else
  echo "FAIL promtool missing (deploy/install-deps.sh installs the prometheus package)"; fail=$((fail + 1))
fi
check "grafana dashboard is JSON using gitopsd metrics" python3 -c "
import json,sys
d=json.load(open('$src/deploy/monitoring/grafana-dashboard.json'))
exprs=' '.join(t['expr'] for p in d['panels'] for t in p['targets'])
for m in ['gitopsd_app_info','gitopsd_sync_total','gitopsd_rollback_total','gitopsd_reconcile_duration_seconds','gitopsd_render_duration_seconds','gitopsd_git_request_duration_seconds','gitopsd_git_fetch_failures_total','gitopsd_kube_requests_total','gitopsd_webhook_requests_total']:
    assert m in exprs, m
"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
