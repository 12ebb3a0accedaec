# shellcheck shell=bash
# Which binary answers `./dfrace <command> --help` (path inside a preset's build tree, then its arguments), and
# the presets to look in, in order. Sourced by regenerate.sh and tests/cli_help_test.sh.
# shellcheck disable=SC2034  # used by the scripts that source this file
declare -A DFRACE_HELP_BINARY=(
  [recipes]="dfrace-cli recipes"
  [check]="dfrace-cli check"
  [relacy]="relacy/dfrace-relacy"
  [stress]="stress/dfrace-stress"
  [fuzz]="fuzz/dfrace-fuzz"
  [repro]="fuzz/dfrace-repro"
  [prove]="fuzz/dfrace-prove"
  [bench]="bench/dfrace-bench"
)
DFRACE_HELP_PRESETS=(default fuzz release tsan asan)
