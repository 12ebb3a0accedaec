#!/bin/sh
# cfl_build_test.sh SOURCE_DIR SCRATCH: runs .clusterfuzzlite/build.sh the way ClusterFuzzLite would (its
# variables set, plain clang flags), then each produced fuzzer for a few seconds. A claimed-correct recipe's fuzzer
# must run clean; a buggy recipe's fuzzer may stop on a dfrace finding, but never on a sanitizer report.
set -u
src=$1; scratch=$2
rm -rf "$scratch"; mkdir -p "$scratch/out" "$scratch/work"
export CC=clang CXX=clang++ CFLAGS="-fsanitize=address,fuzzer-no-link -g" \
  CXXFLAGS="-fsanitize=address,fuzzer-no-link -g" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
  OUT="$scratch/out" WORK="$scratch/work" DFRACE_JOBS=2
"$src/.clusterfuzzlite/build.sh" >"$scratch/build.log" 2>&1 || { tail -30 "$scratch/build.log"; exit 1; }
fail=0
for f in "$OUT"/dfrace_fuzz_*; do
  case "$f" in *.dict|*.options|*.zip) continue;; esac
  t=$(basename "$f")
  for extra in "$t.dict" "$t.options" "${t}_seed_corpus.zip"; do
    [ -f "$OUT/$extra" ] || { echo "FAIL missing $extra"; fail=1; }
  done
  corpus="$scratch/corpus-$t"; mkdir -p "$corpus"
  (cd "$corpus" && unzip -q -o "$OUT/${t}_seed_corpus.zip")
  "$f" -max_total_time=3 -dict="$OUT/$t.dict" -artifact_prefix="$scratch/" \
    "$corpus" >"$scratch/$t.log" 2>&1
  rc=$?
  verdict=$(sed -n 's/^==dfrace== VERDICT //p' "$scratch/$t.log" | head -1)
  case "$t" in
    dfrace_fuzz_posted_v2|dfrace_fuzz_reply_fix)
      if [ "$rc" -eq 0 ] || [ -n "$verdict" ]; then echo "ok   $t: exit $rc ${verdict:-clean}";
      else echo "FAIL $t: exit $rc without a dfrace verdict"; tail -20 "$scratch/$t.log"; fail=1; fi;;
    *)
      if [ "$rc" -eq 0 ]; then echo "ok   $t: clean for 3 s";
      else echo "FAIL $t: exit $rc ${verdict}"; tail -20 "$scratch/$t.log"; fail=1; fi;;
  esac
done
exit $fail
