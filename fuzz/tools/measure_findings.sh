#!/bin/sh
# measure_findings.sh FUZZ_BUILD TSAN_BUILD SECONDS RECIPE...: for each recipe, the distinct bugs `dfrace-fuzz`
# finds in SECONDS (seed 1), the size of each minimized counterexample, and whether ThreadSanitizer confirms its race
# when the interleaving is replayed on real threads (fuzz/native/). Prints one markdown table per recipe.
set -u
fuzz_build=$1; tsan_build=$2; seconds=$3; shift 3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
launcher=""
if [ "$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)" -gt 30 ]; then launcher="setarch $(uname -m) -R"; fi
for recipe in "$@"; do
  dir="$out/$recipe"
  "$fuzz_build/fuzz/dfrace-fuzz" --recipe "$recipe" --seconds "$seconds" --seed 1 --json --out "$dir" \
    >"$dir.json" 2>"$dir.log"
  echo "### $recipe ($seconds s, seed 1): $(python3 -c "import json,sys; v=json.load(open(sys.argv[1]))['verdicts'][0]; print(len(v['fuzz']['bugs']), 'distinct bugs,', v['fuzz']['execs'], 'executions')" "$dir.json")"
  echo
  echo "| # | bug | shortest form (as found) | TSan on real threads |"
  echo "|---|---|---|---|"
  python3 -c "
import json, sys
for i, b in enumerate(json.load(open(sys.argv[1]))['verdicts'][0]['fuzz']['bugs'], 1):
    print(i, b['finding'], b['cpus'], b['pushes'], b['steps'], b['found_steps'], b['line'].replace('|', '/'), sep='\t')
" "$dir.json" | while IFS="$(printf '\t')" read -r i finding cpus pushes steps found line; do
    "$fuzz_build/fuzz/dfrace-repro" "$finding" --quiet --export-order "$finding.order" >/dev/null
    native=$($launcher "$tsan_build/fuzz/native/dfrace-native-replay" "$finding.order" 2>&1 | grep '^verdict:' | sed 's/^verdict: //')
    cpu_word=CPUs; [ "$cpus" = 1 ] && cpu_word=CPU
    push_word=pushes; [ "$pushes" = 1 ] && push_word=push
    echo "| $i | \`$line\` | $cpus $cpu_word, $pushes $push_word, $steps steps ($found) | $native |"
  done
  echo
done
