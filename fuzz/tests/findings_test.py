#!/usr/bin/env python3
"""findings_test.py FUZZ_BIN_DIR RECIPE SECONDS LEAD_PATTERN

Runs `dfrace-fuzz --recipe RECIPE --seconds SECONDS --seed 1 --json` and checks what issue "findings a reviewer
can act on" asks of it: several distinct bugs in one run (distinct signatures), each in its own finding file that
replays to exactly the reported verdict (the minimized schedule still ends in the same bug), with its execution
graph drawn; the first bug listed matches LEAD_PATTERN (a regular expression); every timeline, focused and
--full, fits 100 columns."""
import json, os, re, subprocess, sys, tempfile

bindir, recipe, seconds, lead = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
fuzz = os.path.join(bindir, "dfrace-fuzz")
repro = os.path.join(bindir, "dfrace-repro")
failures = []

with tempfile.TemporaryDirectory() as out:
    p = subprocess.run([fuzz, "--recipe", recipe, "--seconds", seconds, "--seed", "1", "--json", "--out", out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 1:
        sys.exit(f"dfrace-fuzz exited {p.returncode}, expected 1 (a finding):\n{p.stderr[-3000:]}")
    verdict = json.loads(p.stdout)["verdicts"][0]
    bugs = verdict["fuzz"]["bugs"]
    print(f"{recipe}: {len(bugs)} distinct bugs")
    for b in bugs:
        print(f"  {b['line']}  [{b['cpus']} CPUs, {b['pushes']} pushes, {b['steps']} steps]")
    if len(bugs) < 2:
        failures.append(f"expected several distinct bugs, got {len(bugs)}")
    if len({b["signature"] for b in bugs}) != len(bugs):
        failures.append("two bugs share a signature")
    if bugs and not re.search(lead, bugs[0]["line"]):
        failures.append(f"the first bug is {bugs[0]['line']!r}, expected one matching {lead!r}")
    for b in bugs:
        for args in ([b["finding"], "--quiet"], [b["finding"]], [b["finding"], "--full"]):
            r = subprocess.run([repro] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode != 1:
                failures.append(f"{b['finding']}: replay exited {r.returncode}")
            if "--quiet" in args and r.stdout.strip() != b["line"]:
                failures.append(f"{b['finding']}: replays as {r.stdout.strip()!r}, reported as {b['line']!r}")
            for line in ([] if "--quiet" in args else r.stdout.splitlines()):  # --quiet: one line for scripts
                if len(line) > 100:
                    failures.append(f"{b['finding']} {' '.join(args[1:])}: line of {len(line)} columns: {line!r}")
        svg = b["picture"]
        if not os.path.exists(svg) or "<svg" not in open(svg).read():
            failures.append(f"no execution graph at {svg}")

for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
