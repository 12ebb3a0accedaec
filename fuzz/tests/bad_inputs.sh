#!/bin/sh
# bad_inputs.sh REPRO: files that are not schedules get exit 2 and a reason; a raw input needs --recipe.
set -u
repro=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() {  # check NAME EXPECTED ARGS...
  name=$1; expected=$2; shift 2
  "$repro" "$@" --quiet >"$dir/out" 2>"$dir/err"
  rc=$?
  if [ "$rc" -ne "$expected" ]; then
    echo "FAIL $name: exit $rc, expected $expected; stderr: $(cat "$dir/err")"; fail=1
  else
    echo "ok   $name: exit $rc $(head -c 160 "$dir/err")"
  fi
}
: >"$dir/empty"
printf 'DFRACE\000\002\011posted_v2\002\002\000\000\000\000\000\000\000\000\005' >"$dir/wrong_version"
printf 'DFRACE\000\001\011post' >"$dir/truncated"
printf 'DFRAC' >"$dir/truncated_magic"
printf 'hello world' >"$dir/garbage"
check empty 2 "$dir/empty"
check empty_with_recipe 2 "$dir/empty" --recipe posted_v2
check wrong_version 2 "$dir/wrong_version"
check truncated 2 "$dir/truncated"
check truncated_magic 2 "$dir/truncated_magic"
check garbage_without_recipe 2 "$dir/garbage"
check missing_file 2 "$dir/does_not_exist"
check unknown_recipe 2 "$dir/garbage" --recipe no_such_recipe
# Garbage with a recipe is a valid raw schedule (every byte string is): it replays, clean or not.
"$repro" "$dir/garbage" --recipe complete_fix --quiet >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then echo "FAIL garbage_with_recipe: exit $rc"; fail=1; else echo "ok   garbage_with_recipe: exit $rc"; fi
exit $fail
