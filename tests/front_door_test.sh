#!/usr/bin/env bash
# front_door_test.sh SCRATCH: `./dfrace <command> --help` and the common usage errors answer before any install or
# build. Runs the front door with a PATH whose apt-get, dpkg-query, cmake, ctest and ninja only leave a mark and
# fail: a case passes when it gets the expected exit code and output and nothing was marked.
set -u
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$1
rm -rf "$scratch"; mkdir -p "$scratch/bin"
marks="$scratch/marks"
for tool in apt-get dpkg-query cmake ctest ninja setarch; do
  printf '#!/bin/sh\necho "%s $*" >>"%s"\nexit 1\n' "$tool" "$marks" >"$scratch/bin/$tool"
  chmod +x "$scratch/bin/$tool"
done
for tool in bash cat dirname grep sed id tail mkdir uname mktemp rm; do
  ln -s "$(command -v "$tool")" "$scratch/bin/$tool"
done
passed=0 failed=0
# expect EXIT_CODE STDOUT_FILE_OR_- STDERR_SUBSTRING ARGS...
expect() {
  local want=$1 want_out=$2 needle=$3; shift 3
  rm -f "$marks"
  local out err rc
  out=$(env -i PATH="$scratch/bin" HOME="$scratch" bash "$src/dfrace" "$@" 2>"$scratch/err"); rc=$?
  err=$(cat "$scratch/err")
  local why=""
  [ "$rc" -eq "$want" ] || why="exit $rc, want $want"
  [ -f "$marks" ] && why="$why; it installed or built first: $(head -3 "$marks" | tr '\n' ';')"
  if [ "$want_out" != - ] && [ "$out" != "$(cat "$want_out")" ]; then why="$why; stdout is not $want_out"; fi
  if [ -n "$needle" ] && ! grep -qF -- "$needle" <<<"$err"; then why="$why; stderr lacks '$needle': ${err:0:200}"; fi
  if [ -z "$why" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: ./dfrace $*: $why"; fi
}

for f in "$src"/docs/cli/*.txt; do
  cmd=$(basename "$f" .txt)
  expect 0 "$f" "" "$cmd" --help
  expect 0 "$f" "" "$cmd" -h
  expect 2 - "unknown option '--no-such-flag'" "$cmd" --no-such-flag
done
expect 0 - "" test --help
expect 2 - "unknown command" nonsense
expect 2 - "--budget needs a whole number, not 'abc'" check --budget abc
expect 2 - "--budget 5 not in range [30 - 604800]" check --budget=5
expect 2 - "unexpected argument 'extra'" check extra
expect 2 - "--seconds -3 not in range" fuzz --recipe posted_v2 --seconds -3
expect 2 - "--sanitizer must be one of tsan,asan" stress --recipe posted_v2 --sanitizer msan
expect 2 - "needs a number" stress --recipe posted_v2 --seconds soon
expect 0 "$src/docs/cli/check.txt" "" check --recipe posted_v2 --help
echo "front door: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
