#!/usr/bin/env bash
# Bad input gets exit 2 and a one-line reason naming the problem, never a crash or a silent default.
# Usage: cli_bad_input_test.sh BUILD_DIR   (cases whose binary this build tree lacks are skipped)
set -u
build=$1
passed=0 failed=0 skipped=0

# expect EXIT_CODE MESSAGE_SUBSTRING BINARY ARGS...
expect() {
  local want=$1 needle=$2 bin="$build/$3"; shift 3
  if [ ! -x "$bin" ]; then skipped=$((skipped + 1)); return; fi
  local err rc
  err=$("$bin" "$@" 2>&1 >/dev/null); rc=$?
  if [ "$rc" -eq "$want" ] && grep -qi -- "$needle" <<<"$err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $(basename "$bin") $* -> exit $rc (want $want), stderr: ${err:0:300}"
  fi
}

expect 2 "unknown recipe 'nope'" dfrace-cli recipes --recipe nope
expect 2 "subcommand" dfrace-cli
expect 2 "not in range" dfrace-cli check --budget 5
expect 2 "budget" dfrace-cli check --budget abc
expect 2 "unknown recipe" dfrace-cli check --recipe nope
expect 2 "unknown engine" dfrace-cli check --engine valgrind
expect 2 "cannot read" dfrace-cli report --results /nonexistent/report.json
expect 2 "not a dfrace report" dfrace-cli report --results /etc/hostname
expect 2 "--nonsense" dfrace-cli recipes --nonsense

# Engines: the same contract (added as the engines land).
if [ -f "$(dirname "$0")/cli_bad_input_engines.inc" ]; then
  # shellcheck source=/dev/null
  . "$(dirname "$0")/cli_bad_input_engines.inc"
fi

echo "cli bad input: $passed passed, $failed failed, $skipped skipped (binary not in this build)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
