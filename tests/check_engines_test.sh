#!/usr/bin/env bash
# check_engines_test.sh DFRACE_CLI SCRATCH: `dfrace check` against stand-in engines (shell scripts in a scratch
# build root), for what real engines cannot be made to do on demand:
#  1. an engine printing a result in the right format gives that verdict (the control: the stand-ins work);
#  2. an engine printing something else (the pre-schema layout, with a verdict object inside) gives an error
#     cell naming the problem, never that verdict;
#  3. SIGTERM or SIGINT to check while an engine runs ends the engine's whole process group (here a grandchild
#     that holds the engine's stdout, as libFuzzer does under dfrace-fuzz) at once, and check dies of the signal.
set -u
cli=$1 scratch=$2
rm -rf "$scratch"; mkdir -p "$scratch/root/default/relacy" "$scratch/root/fuzz/fuzz"
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

relacy="$scratch/root/default/relacy/dfrace-relacy"
stub_relacy() { # BODY: what the stand-in prints on stdout
  printf '#!/bin/sh\ncat <<'"'"'JSON'"'"'\n%s\nJSON\n' "$1" >"$relacy"
  chmod +x "$relacy"
}
run_check() { # the matrix cell of relacy/posted_v2 as "verdict|error"
  "$cli" check --engine relacy --recipe posted_v2 --budget 30 --build-root "$scratch/root" --out "$scratch/report" \
    --json >"$scratch/check.json" 2>"$scratch/check.err"
  echo $? >"$scratch/check.rc"
  python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["rows"][0]["engines"]["relacy"]
print(c.get("verdict", {}).get("line", "-") + "|" + c.get("error", ""))' "$scratch/check.json"
}

stub_relacy '{"version": 2, "engine": "relacy", "protocol": "percpu_swap", "can_produce": [], "verdicts": [
  {"engine": "relacy", "recipe": "posted_v2", "verdict": "data race", "detail": "a vs b", "artifacts": [], "replay": ""}]}'
cell=$(run_check)
case "$cell" in "data race: a vs b|") ok "well-formed result -> its verdict";; *) fail "well-formed result -> '$cell'";; esac

stub_relacy '{"engine": "relacy", "recipes": [{"recipe": "posted_v2",
  "verdict": {"engine": "relacy", "recipe": "posted_v2", "verdict": "clean", "detail": "old layout"}}]}'
cell=$(run_check)
rc=$(cat "$scratch/check.rc")
case "$cell" in
  "-|"*'engine result: no "version"'*) ok "pre-schema layout -> error cell: ${cell#-|}";;
  *) fail "pre-schema layout -> '$cell'";;
esac
if [ "$rc" -eq 3 ]; then ok "an error cell makes check exit 3"; else fail "check exit $rc with an error cell, want 3"; fi

stub_relacy '{"version": 2, "engine": "relacy", "protocol": "percpu_swap", "can_produce": [], "verdicts": [
  {"recipe": "posted_v2", "verdict": "racy", "detail": "x"}]}'
cell=$(run_check)
case "$cell" in "-|"*"not a verdict word"*) ok "unknown verdict word -> error cell";; *) fail "unknown verdict word -> '$cell'";; esac

stub_relacy 'progress 50%'
cell=$(run_check)
case "$cell" in "-|"*"not one JSON document"*) ok "not JSON -> error cell";; *) fail "not JSON -> '$cell'";; esac

# 3. Interruption. The fuzz stand-in starts a grandchild holding its stdout, records both pids, and waits.
fuzz="$scratch/root/fuzz/fuzz/dfrace-fuzz"
cat >"$fuzz" <<STUB
#!/bin/sh
sleep 300 &
echo "\$\$ \$!" >"$scratch/pids.tmp" && mv "$scratch/pids.tmp" "$scratch/pids"
wait
STUB
chmod +x "$fuzz"
for sig in TERM INT; do
  rm -f "$scratch/pids"
  "$cli" check --engine fuzz --recipe posted_v2 --budget 60 --build-root "$scratch/root" --out "$scratch/report" \
    >/dev/null 2>"$scratch/interrupt.err" &
  check_pid=$!
  for _ in $(seq 100); do [ -f "$scratch/pids" ] && break; sleep 0.1; done
  if [ ! -f "$scratch/pids" ]; then fail "SIG$sig: the stand-in engine never started"; kill -KILL "$check_pid"; continue; fi
  read -r engine grandchild <"$scratch/pids"
  kill -"$sig" "$check_pid"
  for _ in $(seq 100); do kill -0 "$check_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$check_pid" 2>/dev/null; then fail "SIG$sig: check still running 10 s later"; kill -KILL "$check_pid"; fi
  wait "$check_pid"; rc=$?
  want=$((128 + $(kill -l "$sig")))
  if [ "$rc" -eq "$want" ]; then ok "SIG$sig: check died of the signal"; else fail "SIG$sig: check exit $rc, want $want"; fi
  # Killed processes need a moment to die and be reaped; a zombie is gone for this purpose.
  alive="$engine $grandchild"
  for _ in $(seq 50); do
    alive=$(for p in $engine $grandchild; do ps -o stat= -p "$p" 2>/dev/null | grep -qv '^Z' && echo "$p"; done)
    [ -z "$alive" ] && break
    sleep 0.1
  done
  if [ -z "$alive" ]; then
    ok "SIG$sig: the engine and its child are gone"
  else
    fail "SIG$sig: still running 5 s later: $alive"
    for p in $alive; do kill -KILL "$p"; done
  fi
  if grep -q "interrupted" "$scratch/interrupt.err"; then ok "SIG$sig: check says it was interrupted"; else fail "SIG$sig: no message"; fi
done
echo "check engines: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
