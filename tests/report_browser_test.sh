#!/usr/bin/env bash
# The check report in a real browser: a real (short) `dfrace check` run with the Relacy engine writes
# report.html; headless Chromium loads it, and the rendered DOM must hold the verdict matrix with a row per recipe,
# the summary line and a finding section; a screenshot must come out as a non-trivial PNG.
# Usage: report_browser_test.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$1
out=$2
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "FAIL: chromium is not installed (./dfrace test installs it)"; exit 1; }
rm -rf "$out"; mkdir -p "$out"

# A real run: one recipe known to be buggy and one claimed correct, Relacy only (fast and deterministic).
set +e
"$build/dfrace-cli" check --engine relacy --recipe posted_v2 --recipe complete_fix --budget 60 \
  --build-root "$(dirname "$build")" --out "$out/report" >"$out/check.txt" 2>"$out/check.err"
rc=$?
set -e
cat "$out/check.txt"
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then echo "FAIL: dfrace check exited $rc"; cat "$out/check.err"; exit 1; fi
html="$out/report/report.html"
[ -s "$html" ] || { echo "FAIL: no report.html"; exit 1; }

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$out/profile")
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$(realpath "$html")" >"$out/dom.html" 2>"$out/browser.err" || true
failed=0
need() {
  if grep -q -- "$1" "$out/dom.html"; then echo "ok: $2"; else echo "FAIL: $2 (no '$1' in the rendered DOM)"; failed=1; fi
}
need '<table id="matrix">' "the verdict matrix is rendered"
need 'data-recipe="posted_v2"' "a row for posted_v2"
need 'data-recipe="complete_fix"' "a row for complete_fix"
need 'class="summary' "the summary line"
need '<th>relacy</th>' "a column for the Relacy engine"
# What the row says must be what the engine said, whatever that was.
verdict=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(next(x for x in r["rows"] if x["recipe"]=="posted_v2")["engines"]["relacy"]["verdict"]["line"])' "$out/report/report.json")
need "$(python3 -c 'import html,sys; print(html.escape(sys.argv[1], quote=False))' "$verdict")" "posted_v2's cell shows the engine's verdict ($verdict)"
if ! grep -q '^clean' <<<"$verdict"; then need 'class="finding"' "a finding section for the flagged recipe"; fi

timeout 120 "$browser" "${flags[@]}" --window-size=1400,900 --screenshot="$out/report.png" "file://$(realpath "$html")" \
  >/dev/null 2>>"$out/browser.err" || true
size=$(stat -c %s "$out/report.png" 2>/dev/null || echo 0)
if [ "$size" -gt 20000 ]; then echo "ok: screenshot $out/report.png ($size bytes)"; else echo "FAIL: screenshot missing or blank ($size bytes)"; failed=1; fi
exit $failed
