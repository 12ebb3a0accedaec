#!/bin/sh
# expect_stress.sh EXPECT BINARY ARGS...: run `BINARY ARGS... --json` and check what it must say.
#   usage    exit 2 and a one-line reason on stderr
#   clean    exit 0, "verdict": "clean", and the run exercised producer->drain, drain->producer, repeated drains
#   flagged  exit 1, verdict "data race" or "use after free", the detail names pool sites (enqueue.*/drain.*/
#            flush.*), and the saved sanitizer report names the pool's access functions or pool.hpp lines
#   crash    exit 1 and verdict "crash"
#   finding  exit 1 and any verdict but clean (a bug whose first symptom may be a race, a use after free or the
#            audit's invariant, depending on the run)
#   crash_with_stack  crash, and the saved report holds the worker's stack down to the NULL-buffer access
#            (a build without a sanitizer: infra/crash_stack.hpp)
# clang 14's TSan needs ASLR off when vm.mmap_rnd_bits > 30 (docs/toolchain.md); setarch -R does that.
set -u
expect=$1; shift
bin=$1; shift
run="$bin"
bits=$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)
if [ "$bits" -gt 30 ] && command -v setarch >/dev/null; then run="setarch $(uname -m) -R $bin"; fi
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
$run "$@" --json >"$out" 2>"$err"
code=$?
cat "$out"; tail -n 60 "$err" >&2
fail() { echo "expect_stress: FAIL: $*" >&2; exit 1; }
# The engine result (docs/result-schema.md) holds one verdict object, indented under "verdicts".
verdict=$(sed -n 's/^ *"verdict": "\(.*\)",*$/\1/p' "$out" | head -n 1)
detail=$(sed -n 's/^ *"detail": "\(.*\)",*$/\1/p' "$out" | head -n 1)
case $expect in
  usage)
    [ "$code" -eq 2 ] || fail "exit $code, expected 2"
    [ "$(wc -l <"$err")" -eq 1 ] || fail "expected a one-line reason on stderr"
    ;;
  clean)
    [ "$code" -eq 0 ] || fail "exit $code, expected 0 (verdict: $verdict: $detail)"
    [ "$verdict" = clean ] || fail "verdict '$verdict', expected clean"
    # A clean verdict is only worth something if the run exercised both hand-offs (docs/semantics.md §5).
    for d in 'producer->drain' 'drain->producer' 'repeated drains'; do
      grep -q "\"$d\"" "$out" || fail "clean, but the run did not exercise $d"
    done
    ;;
  flagged)
    [ "$code" -eq 1 ] || fail "exit $code, expected 1 (verdict: $verdict: $detail)"
    case $verdict in "data race"|"use after free") ;; *) fail "verdict '$verdict: $detail', expected a data race or use after free" ;; esac
    echo "$detail" | grep -Eq '(enqueue|drain|flush)\.[a-z_]+' || fail "detail '$detail' names no pool site"
    report=$(sed -n '/"artifacts"/,/]/s/^ *"\(.*\.txt\)",*$/\1/p' "$out" | head -n 1)
    [ -f "$report" ] || fail "no saved report ($report)"
    grep -q 'ThreadSanitizer\|AddressSanitizer' "$report" || fail "the report is not a sanitizer report"
    grep -Eq 'Shared<.*>::(load|store)<|pool\.hpp:[0-9]+' "$report" || fail "the report shows no pool access frame"
    ;;
  crash|crash_with_stack)
    [ "$code" -eq 1 ] || fail "exit $code, expected 1"
    [ "$verdict" = crash ] || fail "verdict '$verdict: $detail', expected crash"
    if [ "$expect" = crash_with_stack ]; then
      report=$(sed -n '/"artifacts"/,/]/s/^ *"\(.*\.txt\)",*$/\1/p' "$out" | head -n 1)
      [ -f "$report" ] || fail "no saved report ($report)"
      grep -q 'fatal signal SIGSEGV; stack:' "$report" || fail "the report has no stack"
      grep -q 'null_buffer_oops' "$report" || fail "the stack does not reach the pool's NULL-buffer access"
    fi
    ;;
  finding)
    [ "$code" -eq 1 ] || fail "exit $code, expected 1 (verdict: $verdict: $detail)"
    case $verdict in "data race"|"use after free"|invariant|crash) ;; *) fail "verdict '$verdict', expected a finding" ;; esac
    ;;
  *) fail "unknown expectation $expect" ;;
esac
echo "expect_stress: OK ($expect: ${verdict:-usage} ${detail:-})"
