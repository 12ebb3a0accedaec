#!/bin/sh
# measure_weak_figures.sh TSAN_BINARY [BUDGET_SECONDS]: the weak-memory figures of stress/README.md.
#  1. time to the first finding (worker start to verdict) under TSan, with and without --weak, median of 5 seeds,
#     for release_on_handles and every load-bearing mutant of complete_fix; a run clean after BUDGET_SECONDS
#     (default 60) counts as "> BUDGET";
#  2. operations per second of complete_fix under TSan, 10 s, with and without --weak.
# Prints one line per figure; the JSON of each run is kept in $OUT (default /tmp/dfrace-weak-figures).
set -u
tsan=$1; budget=${2:-60}
out=${OUT:-/tmp/dfrace-weak-figures}; mkdir -p "$out"
bits=$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)
pre=""; if [ "$bits" -gt 30 ] && command -v setarch >/dev/null; then pre="setarch $(uname -m) -R"; fi
run() { # NAME ARGS...
  name=$1; shift
  $pre "$tsan" "$@" --json --quiet --report-dir "$out/reports" >"$out/$name.json" 2>"$out/$name.err"
}
field() { sed -n "s/^  \"$2\": \\(.*\\),*$/\\1/p" "$out/$1.json" | tr -d '",' | head -n 1; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for r in release_on_handles complete_fix@enqueue.count_check=once complete_fix@enqueue.count_publish=once \
         complete_fix@drain.count_check=once complete_fix@drain.count_reset=once; do
  for w in "" --weak; do
    times=""; found=""
    for seed in 1 2 3 4 5; do
      name="first-$r$w-$seed"
      run "$name" --recipe "$r" --seconds "$budget" --seed $seed $w
      if [ "$(field "$name" verdict)" = clean ]; then t=">$budget"; else t=$(field "$name" wall_seconds); fi
      times="$times $t"
      found="$found;$(field "$name" line)"
    done
    med=$(echo "$times" | tr ' ' '\n' | grep . | sed "s/^>$budget$/999999/" | median | sed "s/^999999$/> $budget/")
    echo "time to first finding $r ${w:-(no emulation)}: median $med s [$times ] ($(echo "$found" | tr ';' '\n' | grep . | sort | uniq -c | tr -s ' ' | paste -sd';'))"
  done
done
for w in "" --weak; do
  run "ops$w" --recipe complete_fix --seconds 10 $w
  echo "ops/s complete_fix ${w:-(no emulation)}: $(field "ops$w" ops_per_second) ($(field "ops$w" line))"
done
