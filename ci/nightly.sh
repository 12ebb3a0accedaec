#!/usr/bin/env bash
# ci/nightly.sh: the nightly's commands, one place for .github/workflows/nightly.yml and tests/nightly_test.sh, so
# the workflow runs exactly what the test suite exercises.
#
#   ci/nightly.sh check-shard K/N DIR [check flags]   shard K of N (0-based) of `dfrace check`; its engine results
#                                                     and finding files in DIR (the merge decides: exit 0 unless
#                                                     check was misused, exit 2)
#   ci/nightly.sh check-merge OUT DIR...              the one report (report.{md,json,html}) in OUT; exits with
#                                                     check's status (0 clean, 1 a finding, 3 incomplete)
#   ci/nightly.sh prove-shard RECIPE CONFIG K/N FILE  shard K of N of a proof, its JSON in FILE
#   ci/nightly.sh prove-merge FILE...                 the proof, complete only when every shard finished; exits
#                                                     with prove's status
#
# DFRACE is the dfrace command, word-split (default ./dfrace, which installs and builds what it needs); the test
# points it at a build tree's binaries.
set -u
read -r -a dfrace <<<"${DFRACE:-./dfrace}"
read -r -a prove <<<"${DFRACE_PROVE:-${DFRACE:-./dfrace} prove}"
# Runs one shard's command; its exit status is the merge's to judge, except misuse (2), which fails the step.
shard() { # WHAT COMMAND...
  local what=$1 rc; shift
  "$@"
  rc=$?
  echo "$what: exit $rc (the merge decides)" >&2
  [ "$rc" -ne 2 ] || exit 2
  exit 0
}
usage() {
  echo "usage: ci/nightly.sh check-shard K/N DIR [flags] | check-merge OUT DIR..." >&2
  echo "       ci/nightly.sh prove-shard RECIPE CONFIG K/N FILE | prove-merge FILE..." >&2
  exit 2
}
[ $# -ge 1 ] || usage
step=$1; shift
case "$step" in
  check-shard)
    [ $# -ge 2 ] || usage
    part=$1 dir=$2; shift 2
    mkdir -p "$dir"
    shard "check --shard $part" "${dfrace[@]}" check --shard "$part" --results "$dir" --out "$dir/report" "$@" ;;
  check-merge)
    [ $# -ge 2 ] || usage
    out=$1; shift
    exec "${dfrace[@]}" check --merge "$@" --out "$out" ;;
  prove-shard)
    [ $# -eq 4 ] || usage
    json=$4 finding="$(dirname "$4")/$1-$2-${3/\//-}.dfrace"
    mkdir -p "$(dirname "$json")"
    shard "prove $1 $2 --shard $3" "${prove[@]}" --recipe "$1" --config "$2" --shard "$3" --quiet --json \
      --out "$finding" >"$json" ;;
  prove-merge)
    [ $# -ge 1 ] || usage
    exec "${prove[@]}" --merge "$@" --json ;;
  *) usage ;;
esac
