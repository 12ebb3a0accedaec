#!/bin/sh
# replay_all.sh REPRO EXPECTED DIR [RECIPE]: replays every *.dfrace under DIR (on RECIPE, or each file's own
# recipe) and requires exit EXPECTED for each (1: the finding reproduces; 0: the recipe survives it).
set -u
repro=$1; expected=$2; dir=$3; recipe=${4:-}
n=0; fail=0
for f in $(find "$dir" -name '*.dfrace' | sort); do
  n=$((n + 1))
  if [ -n "$recipe" ]; then line=$("$repro" "$f" --recipe "$recipe" --quiet 2>&1); else line=$("$repro" "$f" --quiet 2>&1); fi
  rc=$?
  if [ "$rc" -ne "$expected" ]; then echo "FAIL $f: exit $rc (expected $expected): $line"; fail=1; else echo "ok   $f: $line"; fi
done
if [ "$n" -eq 0 ]; then echo "no *.dfrace files under $dir"; exit 1; fi
exit $fail
