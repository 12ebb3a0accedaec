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
printf 'DFRACE\000\011\011posted_v2\002\002\000\000\000\000\000\000\000\000\005' >"$dir/wrong_version"
printf 'DFRACE\000\002\007no_such\011posted_v2\002\002\000\000\000\000\000\000\000\000\005' >"$dir/unknown_protocol"
printf 'DFRACE\000\002\003\377\033x\011posted_v2\002\002\000\000\000\000\000\000\000\000\005' >"$dir/binary_protocol"
printf 'DFRACE\000\002\040no' >"$dir/truncated_protocol"
printf 'DFRACE\000\001\011post' >"$dir/truncated"
printf 'DFRAC' >"$dir/truncated_magic"
printf 'hello world' >"$dir/garbage"
check empty 2 "$dir/empty"
check empty_with_recipe 2 "$dir/empty" --recipe posted_v2
check wrong_version 2 "$dir/wrong_version"
check truncated 2 "$dir/truncated"
check unknown_protocol 2 "$dir/unknown_protocol"
check truncated_protocol 2 "$dir/truncated_protocol"
check binary_protocol 2 "$dir/binary_protocol"
grep -q '\\xff\\x1bx' "$dir/err" || { echo "FAIL binary_protocol: the name is not escaped: $(cat "$dir/err")"; fail=1; }
check truncated_magic 2 "$dir/truncated_magic"
check garbage_without_recipe 2 "$dir/garbage"
check missing_file 2 "$dir/does_not_exist"
check unknown_recipe 2 "$dir/garbage" --recipe no_such_recipe
# A version-1 file (no protocol field) still replays, and re-written it is a version-2 file that replays the same.
v1=$(dirname "$0")/../regressions/posted_v2/irq_overwrites_slot.dfrace
"$repro" "$v1" --quiet --write-finding "$dir/v2.dfrace" >"$dir/v1.out" 2>&1
rc1=$?
"$repro" "$dir/v2.dfrace" --quiet >"$dir/v2.out" 2>&1
rc2=$?
if [ "$(head -c 8 "$v1" | tail -c 1 | od -An -tu1 | tr -d ' ')" != 1 ] ||
   [ "$(head -c 8 "$dir/v2.dfrace" | tail -c 1 | od -An -tu1 | tr -d ' ')" != 2 ] || [ "$rc1" -ne 1 ] ||
   [ "$rc2" -ne 1 ] || ! cmp -s "$dir/v1.out" "$dir/v2.out"; then
  echo "FAIL v1_to_v2: exit $rc1/$rc2: $(cat "$dir/v1.out") / $(cat "$dir/v2.out")"; fail=1
else
  echo "ok   v1_to_v2: $(cat "$dir/v2.out")"
fi
mkdir "$dir/a_directory"
check directory 2 "$dir/a_directory"
# A finding file whose recipe name was corrupted into terminal control bytes: the name is shown escaped.
printf 'DFRACE\000\001\011po\033[2Jv\a2\002\002\000\000\000\000\000\000\000\000\005' >"$dir/corrupt_recipe"
check corrupt_recipe_name 2 "$dir/corrupt_recipe"
if grep -q "$(printf '\033')" "$dir/err" || ! grep -qF "'po\x1b[2Jv\x07\x32'" "$dir/err"; then
  echo "FAIL corrupt_recipe_name: the name is not escaped: $(od -c "$dir/err" | head -3)"; fail=1
else
  echo "ok   corrupt_recipe_name is escaped"
fi
# Garbage with a recipe is a valid raw schedule (every byte string is): it replays, clean or not.
"$repro" "$dir/garbage" --recipe complete_fix --quiet >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then echo "FAIL garbage_with_recipe: exit $rc"; fail=1; else echo "ok   garbage_with_recipe: exit $rc"; fi
exit $fail
