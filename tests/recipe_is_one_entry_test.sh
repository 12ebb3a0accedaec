#!/bin/sh
# recipe_is_one_entry_test.sh SOURCE_DIR SCRATCH_DIR: adding a recipe really is one entry, and the README's example
# of one is right.
#
# In a copy of the source tree, appends to kRecipes (and changes nothing else):
#   - the README's "Adding a recipe" example, exactly as printed between its recipe-example markers (my_fix);
#   - as a negative control, so this test can fail, the example the README printed before it was corrected
#     (readme_v0: a plain `if (def->count == SIZE)` re-read, a plain flush read of count, interrupts on in enqueue),
#     also claimed correct.
# Then builds the Relacy engine and the unit tests there and runs what the suite runs on a new recipe:
#   - `dfrace-relacy --all --expect expected_verdicts.json` (relacy.all_recipes_expected) with the expectations file
#     untouched: the only complaint must be about readme_v0, whose claim Relacy refutes; my_fix must pass;
#   - the unit tests, readme_v0's excepted: my_fix runs on real threads in the protocol's Scenario.
set -eu
src=$1
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch"
tree="$scratch/src"
mkdir -p "$tree"
for d in CMakeLists.txt src relacy tests; do cp -R "$src/$d" "$tree/"; done

example=$(sed -n '/<!-- recipe-example:begin -->/,/<!-- recipe-example:end -->/p' "$src/README.md" | grep -v '^<!--' | grep -v '^```')
[ -n "$example" ] || { echo "README.md has no recipe-example block"; exit 1; }
cat > "$scratch/entries.inc" <<EOF
$example

{"readme_v0", "the README's example before it was corrected", "claimed correct, it is not", true,
 recipe({{S::kEnqueueCountCheck, A::kAcquire},
         {S::kEnqueueCountIndex, A::kReuse},
         {S::kEnqueueCountPublish, A::kRelease},
         {S::kDrainCountCheck, A::kAcquire},
         {S::kDrainCountReset, A::kRelease}},
        {.checks_alloc_failure = true, .irqs_off_in_enqueue = false})},
EOF
recipes="$tree/src/protocols/percpu_swap/recipes.hpp"
# The entries go before the `});` that closes kRecipes.
awk -v inc="$scratch/entries.inc" '
  /inline constexpr auto kRecipes/ { in_list = 1 }
  in_list && /^}\);/ { while ((getline line < inc) > 0) print "    " line; in_list = 0 }
  { print }' "$recipes" > "$recipes.new"
mv "$recipes.new" "$recipes"
if ! grep -q '"my_fix"' "$recipes" || ! grep -q '"readme_v0"' "$recipes"; then echo "could not append to kRecipes"; exit 1; fi

launcher=""
command -v ccache >/dev/null 2>&1 && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
echo "== configure and build (Relacy engine, unit tests) in $scratch/build"
cmake -S "$tree" -B "$scratch/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ \
  -DDFRACE_RELACY=ON -DDFRACE_STRESS=OFF $launcher > "$scratch/configure.log" 2>&1 ||
  { cat "$scratch/configure.log"; exit 1; }
cmake --build "$scratch/build" --target dfrace-relacy dfrace_unit_tests > "$scratch/build.log" 2>&1 ||
  { tail -40 "$scratch/build.log"; exit 1; }

echo "== relacy: every recipe against the untouched expectations"
# One expectations file per protocol (the positional parameters are free by now).
set --
for file in "$tree"/src/protocols/*/expected_verdicts.json; do set -- "$@" --expect "$file"; done
set +e
"$scratch/build/relacy/dfrace-relacy" --all "$@" \
  --out "$scratch/histories" > "$scratch/relacy.out" 2> "$scratch/relacy.err"
rc=$?
set -e
grep -v '^relacy: .* \.\.\.$' "$scratch/relacy.err" || true
complaints=$(grep -c -E '^(REGRESSION|no expectation)' "$scratch/relacy.err" || true)
if [ "$rc" -ne 1 ] || [ "$complaints" -ne 1 ] || ! grep -q '^REGRESSION readme_v0: claimed correct' "$scratch/relacy.err"; then
  echo "FAIL: expected exactly one complaint, about readme_v0 (exit $rc, $complaints complaint(s))"
  exit 1
fi
grep -A3 -E '(^| )my_fix' "$scratch/relacy.out" | head -4

echo "== unit tests (readme_v0 excepted)"
"$scratch/build/tests/dfrace_unit_tests" --gtest_brief=1 --gtest_filter='-*readme_v0*' || exit 1
"$scratch/build/tests/dfrace_unit_tests" --gtest_list_tests | grep -q 'my_fix' ||
  { echo "FAIL: the unit tests do not run my_fix"; exit 1; }
echo "ok: the README's recipe is one entry, and the engines hold it to its claim; its old version is refuted"
