#!/bin/sh
# Runs the Kustomize conformance corpus against `gitopsd build` and fails
# when the semantic or byte-exact pass rate falls below the thresholds.
# Usage: conformance_check.sh TOOL CASES GITOPSD MIN_SEMANTIC_PCT MIN_EXACT_PCT
set -u
tool=$1 cases=$2 bin=$3 min_sem=$4 min_exact=$5
out=$(python3 "$tool" --cases "$cases" --render "$bin build {dir}" --jobs 2 2>&1)
echo "$out" | tail -n 40
exact=$(echo "$out" | sed -n 's/^exact: \([0-9]*\)\/\([0-9]*\).*/\1 \2/p' | tail -n 1)
sem=$(echo "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' | tail -n 1)
if [ -z "$exact" ] || [ -z "$sem" ]; then
  echo "conformance: could not read the tool's summary" >&2
  exit 1
fi
set -- $exact; ek=$1; en=$2
set -- $sem; sp=$1; sf=$2
sn=$((sp + sf))
echo "semantic: $sp/$sn (min ${min_sem}%), exact: $ek/$en (min ${min_exact}%)"
if [ $((sp * 100)) -lt $((min_sem * sn)) ]; then
  echo "conformance: semantic pass rate below ${min_sem}%" >&2
  exit 1
fi
if [ $((ek * 100)) -lt $((min_exact * en)) ]; then
  echo "conformance: exact pass rate below ${min_exact}%" >&2
  exit 1
fi
