#!/usr/bin/env bash
# repo_stands_alone_test.sh: no committed file points outside the repository (to design notes, toolchain notes or
# a shared directory that a user who cloned dfrace alone does not have); the project's own documents are docs/.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
# The patterns are assembled so that this file does not match itself.
design="DESIGN""-NOTES" toolchain="TOOL""CHAIN.md" shared="\.\./""shared"
if hits=$(git grep -n -I -e "$design" -e "$toolchain" -e "$shared" 2>/dev/null); then
  echo "FAIL: references to files outside the repository:"; echo "$hits"; exit 1
fi
# Every docs/*.md a committed file links to exists.
missing=$(git grep -h -o -I -E 'docs/[a-z-]+\.md' | sort -u | while read -r d; do [ -f "$d" ] || echo "$d"; done)
if [ -n "$missing" ]; then echo "FAIL: linked but missing: $missing"; exit 1; fi
echo "ok: nothing points outside the repository; every linked docs/ page exists"
