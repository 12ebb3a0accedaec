#!/bin/sh
# survive_all.sh REPRO DIR: every recipe the catalogue claims correct replays every finding under DIR clean.
set -u
repro=$1; dir=$2
recipes=$("$repro" --list-claimed-correct) || exit 1
[ -n "$recipes" ] || { echo "the catalogue claims no recipe correct"; exit 1; }
fail=0
for r in $recipes; do
  echo "== $r"
  "$(dirname "$0")/replay_all.sh" "$repro" 0 "$dir" "$r" || fail=1
done
exit $fail
