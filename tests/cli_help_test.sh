#!/usr/bin/env bash
# cli_help_test.sh BUILD_DIR: every binary of this build tree prints exactly the help that ./dfrace shows without
# building it (docs/cli/<command>.txt). Stale file: run docs/cli/regenerate.sh after changing a binary's flags.
set -u
build=$1
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=docs/cli/commands.sh
. "$src/docs/cli/commands.sh"
passed=0 failed=0
for cmd in "${!DFRACE_HELP_BINARY[@]}"; do
  read -r -a argv <<<"${DFRACE_HELP_BINARY[$cmd]}"
  bin="$build/${argv[0]}"
  [ -x "$bin" ] || continue
  if diff -u "$src/docs/cli/$cmd.txt" <("$bin" "${argv[@]:1}" --help) >/tmp/cli_help_diff.$$ 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: docs/cli/$cmd.txt differs from $(basename "$bin") --help (run docs/cli/regenerate.sh):"
    head -30 /tmp/cli_help_diff.$$
  fi
done
rm -f /tmp/cli_help_diff.$$
echo "cli help: $passed match, $failed stale"
[ "$failed" -eq 0 ]
