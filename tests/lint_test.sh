#!/usr/bin/env bash
# lint_test.sh SCRATCH: yamllint on every workflow and the ClusterFuzzLite files, shellcheck on every shell script
# of the repository (by extension or shebang). Both linters are Debian packages ./dfrace installs for `test`.
# First each linter must reject a known-bad sample, so a linter that checks nothing cannot pass the test.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
scratch=$1
mkdir -p "$scratch"
for tool in yamllint shellcheck; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (./dfrace test installs it)"; exit 1; }
done
failed=0
printf 'on:\n  push:\non:\n  pull_request:\n' >"$scratch/bad.yml"            # a duplicated key
# shellcheck disable=SC2016  # the sample's $1 is meant literally
printf '#!/bin/sh\nrm -rf $1/*\n' >"$scratch/bad.sh"                            # an unquoted expansion
yamllint -c .yamllint "$scratch/bad.yml" >/dev/null 2>&1 && { echo "FAIL: yamllint accepts a duplicated key"; failed=1; }
shellcheck "$scratch/bad.sh" >/dev/null 2>&1 && { echo "FAIL: shellcheck accepts an unquoted \$1"; failed=1; }

mapfile -t yaml < <(git ls-files '*.yml' '*.yaml')
mapfile -t scripts < <(git ls-files | while read -r f; do
  [ -f "$f" ] || continue
  case "$f" in
    *.sh|*.inc) echo "$f" ;;
    *) head -n 1 "$f" | grep -qE '^#!.*\b(ba|da)?sh\b' && echo "$f" ;;
  esac
done)
# Every workflow and ClusterFuzzLite file is linted by one of the two (the Dockerfile by neither: no linter is
# packaged); a file there that neither picks up (a .yml spelled otherwise) is a finding, not a silent skip.
linted=" ${yaml[*]} ${scripts[*]} "
while read -r f; do
  case "$linted" in *" $f "*) ;; *) echo "FAIL: $f is neither YAML nor a shell script the linters see"; failed=1 ;; esac
done < <(git ls-files .github/workflows .clusterfuzzlite | grep -v '/Dockerfile$')
if ! yamllint -c .yamllint -f parsable "${yaml[@]}"; then failed=1; fi
if ! shellcheck -x -f gcc "${scripts[@]}"; then failed=1; fi
echo "lint: ${#yaml[@]} YAML files, ${#scripts[@]} shell scripts: $([ "$failed" -eq 0 ] && echo clean || echo FINDINGS)"
exit "$failed"
