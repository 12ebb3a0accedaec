#!/usr/bin/env bash
# regenerate.sh [BUILD_ROOT]: rewrites docs/cli/<command>.txt from the built binaries' --help, for the commands
# whose binary BUILD_ROOT (default: build) holds. ./dfrace prints these files for `--help` and checks arguments
# against them before it installs or builds anything; the cli_help_matches test fails when one is stale.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${1:-$here/../../build}
# shellcheck source=docs/cli/commands.sh
. "$here/commands.sh"
for cmd in "${!DFRACE_HELP_BINARY[@]}"; do
  read -r -a argv <<<"${DFRACE_HELP_BINARY[$cmd]}"
  for preset in "${DFRACE_HELP_PRESETS[@]}"; do
    bin="$root/$preset/${argv[0]}"
    if [ -x "$bin" ]; then
      "$bin" "${argv[@]:1}" --help >"$here/$cmd.txt"
      echo "docs/cli/$cmd.txt <- $bin"
      break
    fi
  done
done
