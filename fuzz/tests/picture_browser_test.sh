#!/usr/bin/env bash
# The execution graph in a real browser: dfrace-repro draws the seed reviewer's bug (regressions/posted_v2/
# reviewer_uaf.dfrace) with Graphviz; headless Chromium loads the SVG, whose rendered DOM must hold the threads'
# columns, a reads-from arrow, the racing pair and the verdict, and a screenshot must come out as a non-trivial PNG.
# Usage: picture_browser_test.sh REPRO FINDING OUT_DIR
set -euo pipefail
repro=$1; finding=$2; out=$3
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "FAIL: chromium is not installed (./dfrace test installs it)"; exit 1; }
command -v dot >/dev/null || { echo "FAIL: Graphviz is not installed (./dfrace installs it)"; exit 1; }
rm -rf "$out"; mkdir -p "$out"
set +e
"$repro" "$finding" --svg "$out/graph.svg" >"$out/timeline.txt"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "FAIL: dfrace-repro exited $rc"; cat "$out/timeline.txt"; exit 1; }
timeout 60 "$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$out/graph.svg" >"$out/dom.html" 2>/dev/null
for want in 'cpu0' 'drain' '>rf<' 'data race' 'use after free: enqueue.slot_store'; do
  grep -q -- "$want" "$out/dom.html" || { echo "FAIL: the rendered picture has no '$want'"; exit 1; }
done
timeout 60 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1600 \
  --screenshot="$out/graph.png" "file://$out/graph.svg" >/dev/null 2>&1
size=$(stat -c %s "$out/graph.png" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] || { echo "FAIL: screenshot $out/graph.png is $size bytes"; exit 1; }
echo "ok: $out/graph.svg renders in Chromium (screenshot $out/graph.png, $size bytes)"
