#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build of dfrace's fuzz targets.
# Honours $CC $CXX $CFLAGS $CXXFLAGS (sanitizers, coverage) and $LIB_FUZZING_ENGINE (the fuzzing engine's link
# flags), writes every fuzzer plus <fuzzer>.dict, <fuzzer>.options and <fuzzer>_seed_corpus.zip into $OUT.
# Optional: $SRC (default: this checkout's parent), $WORK (scratch; default: a temp dir), $DFRACE_JOBS,
# $DFRACE_CFL_RECIPES (the recipes whose fuzzers to ship: names, or "continuous" for the ones the registered
# protocols declare for continuous fuzzing in their fuzz/fuzz_targets.cmake (claimed correct, held to "no crash";
# the Dockerfile's choice), or "all", the default: every recipe with a fuzz binary).
src_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${WORK:-$(mktemp -d)}
build="$work/dfrace-cfl-build"
jobs=${DFRACE_JOBS:-2}
generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi

cmake -S "$src_dir" -B "$build" "${generator[@]}" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="${CFLAGS:-}" -DCMAKE_CXX_FLAGS="${CXXFLAGS:-}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDFRACE_FUZZ=ON -DDFRACE_TESTS=OFF -DDFRACE_STRESS=OFF -DDFRACE_RELACY=OFF -DDFRACE_BENCH=OFF \
  -DDFRACE_FUZZ_FLAGS_FROM_ENV=ON -DDFRACE_LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE"

case ${DFRACE_CFL_RECIPES:-all} in
  all) fuzzers=$(cat "$build/fuzz/fuzz_recipes.txt") ;;
  continuous) fuzzers=$(cat "$build/fuzz/continuous_fuzz_recipes.txt") ;;
  *) fuzzers=$DFRACE_CFL_RECIPES ;;
esac
# dfrace_fuzz_generic is not shipped: it needs DFRACE_RECIPE in its environment, which ClusterFuzz does not set.
targets=""
for r in $fuzzers; do targets="$targets dfrace_fuzz_$r"; done
# shellcheck disable=SC2086
cmake --build "$build" -j"$jobs" --target $targets

mkdir -p "$OUT"
seed_zip="$work/dfrace_seed_corpus.zip"
rm -f "$seed_zip"
# A schedule's bytes mean the same to every protocol's executor: every protocol's seeds and dictionary serve each.
# Seeds are named per protocol folder, so two protocols' seeds of one name both go in (zip -j keeps base names).
seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"
for dir in "$src_dir"/src/protocols/*/fuzz/seeds; do
  protocol=$(basename "$(dirname "$(dirname "$dir")")")
  for f in "$dir"/*; do cp "$f" "$seeds/${protocol}_$(basename "$f")"; done
done
zip -q -j "$seed_zip" "$seeds"/*
cat "$src_dir"/src/protocols/*/fuzz/dfrace.dict >"$work/dfrace.dict"
for t in $targets; do
  cp "$build/fuzz/$t" "$OUT/$t"
  cp "$work/dfrace.dict" "$OUT/$t.dict"
  sed "s/^dict = .*/dict = $t.dict/" "$src_dir/fuzz/dfrace.options" >"$OUT/$t.options"
  cp "$seed_zip" "$OUT/${t}_seed_corpus.zip"
done
echo "build.sh: wrote$(for t in $targets; do printf ' %s' "$t"; done) to $OUT"
