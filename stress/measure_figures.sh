#!/bin/sh
# measure_figures.sh TSAN_BINARY PLAIN_BINARY [CLEAN_SECONDS]: the figures stress/README.md quotes.
#  1. operations per second of the driver, under TSan and without a sanitizer (complete_fix, 10 s, with and
#     without chaos);
#  2. time to the first TSan report on posted_v2 (worker start to the report's first line, and to the verdict),
#     median of 5 seeds, with and without chaos;
#  3. how long each recipe claimed correct ran clean under TSan with chaos (CLEAN_SECONDS each, default 60).
# Prints one line per figure; the JSON of each run is kept in $OUT (default /tmp/dfrace-stress-figures).
set -u
tsan=$1; plain=$2; clean_seconds=${3:-60}
out=${OUT:-/tmp/dfrace-stress-figures}; mkdir -p "$out"
run() { # NAME BINARY ARGS...
  name=$1; bin=$2; shift 2
  "$bin" "$@" --json --quiet --report-dir "$out/reports" >"$out/$name.json" 2>"$out/$name.err"
}
field() { sed -n "s/^      \"$2\": \\(.*\\),*$/\\1/p" "$out/$1.json" | tr -d '",' | head -n 1; }  # a key of the verdict object
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for b in tsan plain; do
  bin=$tsan; [ $b = plain ] && bin=$plain
  for c in "" --chaos; do
    run "ops-$b$c" "$bin" --recipe complete_fix --seconds 10 $c
    echo "ops/s $b ${c:-(no chaos)}: $(field "ops-$b$c" ops_per_second) ($(field "ops-$b$c" line))"
  done
done
for c in "" --chaos; do
  for seed in 1 2 3 4 5; do run "first-$seed$c" "$tsan" --recipe posted_v2 --seconds 120 --seed $seed $c; done
  times=$(for seed in 1 2 3 4 5; do field "first-$seed$c" first_report_seconds; done | tr '\n' ' ')
  walls=$(for seed in 1 2 3 4 5; do field "first-$seed$c" wall_seconds; done | tr '\n' ' ')
  lines=$(for seed in 1 2 3 4 5; do field "first-$seed$c" detail; done | sort | uniq -c | tr -s ' ' | paste -sd';')
  echo "time to first report posted_v2 ${c:-(no chaos)}: median $(echo "$times" | tr ' ' '\n' | grep . | median) s" \
       "to the report's first line [$times], median $(echo "$walls" | tr ' ' '\n' | grep . | median) s to the verdict" \
       "[$walls] ($lines)"
done
for r in complete_fix wmb_rmb; do
  run "clean-$r" "$tsan" --recipe $r --seconds "$clean_seconds" --chaos --alloc-fail-rate 0.05
  echo "claimed correct $r under TSan+chaos: $(field "clean-$r" line)"
done
