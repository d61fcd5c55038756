#!/usr/bin/env bash
# Times `make demo` on a fresh Debian 12 machine, from a clean clone to the
# banner with three synced apps: a minbase debootstrap of bookworm stands in
# for the machine (nothing installed but apt, git and make), the repository is
# cloned into it at HEAD, and `make demo` runs in a chroot as root. The time
# includes installing the packages (apt-get from deb.debian.org), configuring,
# compiling and the first start. Needs root, debootstrap and network access to
# the Debian mirror.
#
#   bench/fresh_demo.sh [ROOT]     ROOT defaults to /var/tmp/gitopsd-fresh
#
# The base system is made once and copied for each run, so every run starts
# from the same fresh state.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-/var/tmp/gitopsd-fresh}
root=$base/run
port=${DEMO_PORT:-18080}

if [[ ! -x $base/base/usr/bin/git ]]; then
  rm -rf "$base/base"
  mkdir -p "$base"
  debootstrap --variant=minbase bookworm "$base/base" http://deb.debian.org/debian >"$base/debootstrap.log"
  cp /etc/resolv.conf "$base/base/etc/resolv.conf"
  chroot "$base/base" apt-get update -qq
  # The premise of the README's Quick start: git (to clone) and make.
  chroot "$base/base" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends git make ca-certificates >/dev/null
  chroot "$base/base" apt-get clean
fi

cleanup() {
  for m in dev/pts dev sys proc; do umount -l "$root/$m" 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup
rm -rf "$root"
cp -a "$base/base" "$root"
git clone -q "$src" "$root/root/gitopsd"
for m in proc sys dev dev/pts; do mount --bind "/$m" "$root/$m"; done

log=$base/make-demo.log
start=$(date +%s.%N)
chroot "$root" env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  TERM=dumb DEMO_PORT="$port" DEMO_KUBE_PORT=$((port + 1)) \
  setsid bash -c 'cd /root/gitopsd && exec make demo' >"$log" 2>&1 &
pid=$!
banner= compile= linked=
while kill -0 "$pid" 2>/dev/null; do
  [[ -n "$compile" ]] || ! grep -q '^\[1/' "$log" || compile=$(date +%s.%N)
  [[ -n "$linked" ]] || ! grep -q 'Linking CXX executable bin/gitopsd' "$log" || linked=$(date +%s.%N)
  if grep -q "gitopsd demo is running" "$log"; then banner=$(date +%s.%N); break; fi
  sleep 0.5
done
if [[ -z "$banner" ]]; then
  echo "fresh_demo: make demo exited before the banner; see $log" >&2
  exit 1
fi
sleep 1
kill -INT -- -"$pid" 2>/dev/null || true
wait "$pid" || true
python3 - "$start" "$banner" "$log" "${compile:-0}" "${linked:-0}" <<'PY'
import re, sys
start, banner, log = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
compile, linked = float(sys.argv[4]), float(sys.argv[5])
text = open(log).read()
apps = re.findall(r"^  (shop-\S+)\s+(\S+)\s+(\S+)", text, re.M)
print("make demo on a fresh Debian 12 (minbase chroot): %.0f s to the banner" % (banner - start))
if compile and linked:
    print("  packages + configure %.0f s, compile %.0f s, first start %.0f s"
          % (compile - start, linked - compile, banner - linked))
for a in apps: print("  %-14s %-8s %s" % a)
ok = len(apps) == 3 and all(s == "Synced" and h == "Healthy" for _, s, h in apps)
sys.exit(0 if ok else 1)
PY
