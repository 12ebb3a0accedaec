#!/bin/sh
# expect_native.sh EXIT PATTERN BINARY ORDER: runs the native replay of ORDER, requires exit EXIT and a line
# matching PATTERN (grep -E) in its output.
set -u
want=$1; pattern=$2; bin=$3; order=$4
launcher=""
if [ "$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)" -gt 30 ]; then launcher="setarch $(uname -m) -R"; fi
out=$($launcher "$bin" "$order" 2>&1); rc=$?
echo "$out"
[ "$rc" -eq "$want" ] || { echo "FAIL: exit $rc, expected $want"; exit 1; }
echo "$out" | grep -Eq "$pattern" || { echo "FAIL: no line matching: $pattern"; exit 1; }
