#!/bin/sh
# make_regression.sh BUILD_FUZZ_DIR RECIPE [SEED]: fuzz RECIPE until a finding, minimize it with libFuzzer
# (-minimize_crash=1), convert the minimized input to a finding file in fuzz/regressions/RECIPE/ and replay it.
set -eu
bin=$1; recipe=$2; seed=${3:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
protocol=$("$bin/../dfrace-cli" recipes --recipe "$recipe" --json | sed -n 's/^ *"protocol": "\(.*\)",$/\1/p')
[ -n "$protocol" ] || { echo "no protocol for recipe $recipe (see $bin/../dfrace-cli recipes)"; exit 2; }
cp "$here"/../src/protocols/"$protocol"/fuzz/seeds/* "$work/corpus/"
export DFRACE_RECIPE="$recipe"
"$bin/dfrace_fuzz_generic" -seed="$seed" -max_total_time=60 -max_len=256 -artifact_prefix="$work/" \
  "$work/corpus" >"$work/fuzz.log" 2>&1 || true
crash=$(find "$work" -maxdepth 1 -name 'crash-*' | head -1)
[ -n "$crash" ] || { echo "$recipe: no finding in 60 s"; exit 1; }
"$bin/dfrace_fuzz_generic" -minimize_crash=1 -runs=20000 -exact_artifact_path="$work/min" "$crash" \
  >"$work/min.log" 2>&1 || true
[ -s "$work/min" ] || cp "$crash" "$work/min"
mkdir -p "$here/regressions/$recipe"
sum=$(sha1sum "$work/min" | cut -c1-12)
out="$here/regressions/$recipe/$sum.dfrace"
"$bin/dfrace-repro" "$work/min" --recipe "$recipe" --write-finding "$out" --quiet || true
echo "$recipe: $(wc -c <"$work/min") bytes -> $out: $("$bin/dfrace-repro" "$out" --quiet)"
