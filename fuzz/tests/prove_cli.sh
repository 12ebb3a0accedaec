#!/bin/sh
# prove_cli.sh PROVE REPRO: the command's contract — exit codes, the proved line, a counterexample that repro
# replays to the same verdict, --jobs agreeing with one process, the abstract model's proof and --exact, and bad
# input refused with exit 2.
set -u
prove=$1
repro=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
expect() {  # expect NAME CODE ARGS...: runs PROVE ARGS, checks the exit code
  name=$1; code=$2; shift 2
  "$prove" "$@" --quiet >"$dir/out" 2>"$dir/err"
  rc=$?
  if [ "$rc" -ne "$code" ]; then
    echo "FAIL $name: exit $rc, expected $code"; cat "$dir/out" "$dir/err"; fail=1
  else
    echo "ok   $name: exit $rc $(head -c 200 "$dir/out" "$dir/err" | tr '\n' ' ')"
  fi
}
contains() {  # contains NAME FILE TEXT
  if ! grep -qF -- "$3" "$2"; then echo "FAIL $1: '$3' not in: $(cat "$2")"; fail=1; fi
}

expect proved 0 --recipe complete_fix --config 2cpu-s1-p2-d2
contains proved_line "$dir/out" "proved: no violation in"
contains proved_model "$dir/out" "no load buffering"
# The fix needs neither zs_free's lock nor schedule_work's ordering: the abstract model's search is the proof.
contains proved_abstract "$dir/out" "abstract model: zs_free's lock"
expect proved_exact 0 --recipe complete_fix --config 2cpu-s1-p2-d2 --exact
if grep -qF "abstract model" "$dir/out"; then echo "FAIL proved_exact_model: --exact names the abstract model"; fail=1; fi

expect refuted 1 --recipe posted_v2 --config 2cpu-s1-p2-d2 --out "$dir/cx.dfrace"
verdict=$(sed -n 's/^counterexample: //p' "$dir/out")
"$repro" "$dir/cx.dfrace" --stop-at-race --quiet >"$dir/replay" 2>&1
rc=$?
if [ "$rc" -ne 1 ] || [ "$(cat "$dir/replay")" != "$verdict" ]; then
  echo "FAIL counterexample_replays: repro exit $rc said '$(cat "$dir/replay")', prove said '$verdict'"; fail=1
else
  echo "ok   counterexample_replays: $verdict"
fi

expect jobs_proved 0 --recipe wmb_rmb --config 2cpu-s1-p2-d2 --jobs 2
contains jobs_line "$dir/out" "proved: no violation in"
expect jobs_split_deeper 0 --recipe wmb_rmb --config 2cpu-s1-p2-d2 --jobs 2 --split-depth 24
expect jobs_refuted 1 --recipe reply_fix --config 2cpu-s1-p2-d2 --jobs 2 --out "$dir/cx2.dfrace"

expect json 0 --recipe complete_fix --cpus 1 --size 1 --pushes 2 --drains 1 --json
contains json_engine "$dir/out" '"engine": "prove"'
contains json_result "$dir/out" '"result": "proved"'

# An -allocfail configuration is 16 programs of one size: a verdict names each size once (here two sizes).
expect json_sizes 0 --recipe complete_fix --config 1cpu-s1-p1-d1-allocfail --config 1cpu-s1-p2-d1 --json
sizes=$(grep -c '"pushes"' "$dir/out")
if [ "$sizes" -ne 2 ]; then echo "FAIL json_sizes_distinct: $sizes program sizes listed, expected 2"; fail=1; fi

expect unknown_recipe 2 --recipe no_such_recipe --config 2cpu-s1-p2-d2
contains unknown_recipe_says "$dir/err" "unknown recipe"
expect bad_config 2 --recipe complete_fix --config 2cpu-banana
expect too_many_cpus 2 --recipe complete_fix --cpus 9
contains too_many_says "$dir/err" "limits:"
expect too_many_pushes 2 --recipe complete_fix --config 2cpu-s1-p9-d2
expect bad_shard 2 --recipe complete_fix --config 2cpu-s1-p2-d2 --shard 3/2
expect bad_split_depth 2 --recipe complete_fix --config 2cpu-s1-p2-d2 --shard 0/2 --split-depth 0
expect config_and_fields 2 --recipe complete_fix --config 2cpu-s1-p2-d2 --cpus 3
expect no_recipe 2 --config 2cpu-s1-p2-d2
expect bounded_is_not_a_proof 3 --recipe complete_fix --config 2cpu-s2-p4-d2 --max-executions 10
contains bounded_says "$dir/out" "nothing is proved"
exit $fail
