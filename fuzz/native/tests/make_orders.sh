#!/bin/sh
# make_orders.sh FUZZ_BUILD_DIR: regenerates the access orders the native replay tests use (run it after a change
# to the pool's accesses, when those tests report "diverged"). Each order comes from a committed schedule.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repro=$1/fuzz/dfrace-repro
regressions=$here/../../regressions
"$repro" "$regressions/posted_v2/df9e7e9f6dc5.dfrace" --quiet --export-order "$here/posted_v2_race.order" || true
"$repro" "$regressions/reply_fix/unpublished_slot_drained.dfrace" --quiet --export-order "$here/reply_fix_unpublished.order" || true
"$repro" "$here/../../../src/protocols/percpu_swap/fuzz/seeds/2cpu_size2_interleaved" --recipe complete_fix --quiet \
  --export-order "$here/complete_fix_clean.order" || true
