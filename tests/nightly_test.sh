#!/usr/bin/env bash
# nightly_test.sh DFRACE_CLI RELACY_ENGINE SCRATCH: the nightly's shard and merge steps (ci/nightly.sh, the commands
# .github/workflows/nightly.yml runs) on two recipes, locally, with this build tree's Relacy engine and a small
# budget:
#  1. two shards, then the merge: the merged matrix is the one an unsharded check of the same recipes prints, and
#     the merge exits with check's status;
#  2. a missing shard makes the merged report incomplete (exit 3), never silently smaller;
#  3. the merge's exit status is check's own: a stand-in engine that flags a recipe claimed correct makes it 1;
#  4. misuse (--merge of a directory no shard wrote) is exit 2 with a one-line reason.
set -u
cli=$1 relacy=$2 scratch=$3
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
rm -rf "$scratch"; mkdir -p "$scratch/root/default/relacy"
root="$scratch/root"  # a build root (as ./dfrace passes) holding this tree's Relacy engine
ln -s "$relacy" "$root/default/relacy/dfrace-relacy"
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
export DFRACE="$cli"
recipes=(--recipe posted_v2 --recipe complete_fix)
verdicts() { # REPORT_JSON: one line per recipe and engine, the verdict line
  python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["rows"]:
    for e, c in sorted(r["engines"].items()):
        print(r["recipe"], e, c.get("verdict", {}).get("line", "no verdict"))' "$1"
}

# 1. Two shards and the merge, against one unsharded run.
for k in 0 1; do
  ci/nightly.sh check-shard "$k/2" "$scratch/shard-$k" "${recipes[@]}" --engine relacy --budget 30 \
    --build-root "$root" >"$scratch/shard-$k.log" 2>&1 || fail "shard $k/2 exit $? ($(tail -1 "$scratch/shard-$k.log"))"
done
n0=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["recipes"]))' "$scratch/shard-0/shard.json")
n1=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["recipes"]))' "$scratch/shard-1/shard.json")
if [ "$n0" -eq 1 ] && [ "$n1" -eq 1 ]; then ok "each shard ran one of the two recipes"; else fail "shards ran $n0 and $n1 recipes"; fi
ci/nightly.sh check-merge "$scratch/merged" "$scratch/shard-0" "$scratch/shard-1" >"$scratch/merge.txt" 2>&1
rc=$?
"$cli" check "${recipes[@]}" --engine relacy --budget 30 --build-root "$root" --out "$scratch/whole" \
  >"$scratch/whole.txt" 2>/dev/null
whole_rc=$?
if [ "$rc" -eq "$whole_rc" ] && [ "$rc" -eq 0 ]; then ok "merge exit $rc, as the unsharded check";
else fail "merge exit $rc, unsharded check exit $whole_rc"; fi
if [ -f "$scratch/merged/report.html" ] && [ -f "$scratch/merged/report.md" ]; then ok "merged report written";
else fail "no merged report"; fi
if diff <(verdicts "$scratch/merged/report.json") <(verdicts "$scratch/whole/report.json") >"$scratch/diff.txt"; then
  ok "merged matrix = unsharded matrix ($(verdicts "$scratch/merged/report.json" | wc -l) cells)"
else
  fail "merged matrix differs from the unsharded one:"; cat "$scratch/diff.txt"
fi
if grep -q "posted_v2 (claimed buggy): agree: flagged by relacy" "$scratch/merge.txt"; then ok "merged text names the bug";
else fail "merged text: $(head -20 "$scratch/merge.txt")"; fi

# 2. A missing shard.
ci/nightly.sh check-merge "$scratch/partial" "$scratch/shard-0" >"$scratch/partial.txt" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -q "no results from shard(s) 1/2" "$scratch/partial.txt"; then ok "missing shard: exit 3, named";
else fail "missing shard: exit $rc: $(tail -3 "$scratch/partial.txt")"; fi

# 3. check's exit status through the merge: a stand-in Relacy flags the recipe claimed correct.
stub="$scratch/stub-root/default/relacy"
mkdir -p "$stub"
cat >"$stub/dfrace-relacy" <<'STUB'
#!/bin/sh
cat <<'JSON'
{"version": 2, "engine": "relacy", "protocol": "percpu_swap", "can_produce": ["weak memory"], "verdicts": [
 {"recipe": "complete_fix", "verdict": "data race", "detail": "a.x vs b.y", "covered": ["weak memory"]}]}
JSON
STUB
chmod +x "$stub/dfrace-relacy"
ci/nightly.sh check-shard 0/1 "$scratch/stub-shard" --recipe complete_fix --engine relacy --budget 30 \
  --build-root "$scratch/stub-root" >/dev/null 2>&1 || fail "stub shard exit $?"
ci/nightly.sh check-merge "$scratch/stub-merged" "$scratch/stub-shard" >"$scratch/stub.txt" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q "Claimed correct but flagged: complete_fix" "$scratch/stub.txt"; then
  ok "a claimed-correct recipe flagged in a shard: the merge exits 1"
else
  fail "claimed-correct flagged: merge exit $rc: $(tail -3 "$scratch/stub.txt")"
fi

# 4. Misuse.
ci/nightly.sh check-merge "$scratch/bad" "$scratch" >"$scratch/bad.txt" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "no shard.json" "$scratch/bad.txt"; then ok "not a shard directory: exit 2";
else fail "not a shard directory: exit $rc: $(cat "$scratch/bad.txt")"; fi
echo "nightly: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
