#!/usr/bin/env python3
"""Time to first finding, median of N seeds, with and without the interleaving feedback.

usage: measure_ttff.py FUZZER_DIR [--seeds 5] [--cap 20] [--recipes r1,r2,...] [--source-dir src/protocols/NAME/fuzz/]
Runs dfrace_fuzz_generic directly (DFRACE_RECIPE=...) from the seed corpus; prints one line per recipe and mode.
"""
import argparse, os, re, shutil, statistics, subprocess, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("fuzzer_dir")
ap.add_argument("--seeds", type=int, default=5)
ap.add_argument("--cap", type=float, default=20)
ap.add_argument("--recipes", default="")
ap.add_argument("--source-dir", default=None, help="the protocol's fuzz/ directory (default: from the build's CMake cache)")
a = ap.parse_args()

recipes = a.recipes.split(",") if a.recipes else []
if not recipes:
    out = subprocess.run([os.path.join(a.fuzzer_dir, "..", "dfrace-cli"), "recipes", "--mutants", "--json"],
                         capture_output=True, text=True).stdout
    import json
    recipes = [r["name"] for r in json.loads(out) if not r["claimed_correct"]]

fuzzer = os.path.join(a.fuzzer_dir, "dfrace_fuzz_generic")
def seeds_of(recipe):
    """The recipe's protocol's seed corpus (or --source-dir's)."""
    if a.source_dir is not None:
        return os.path.join(a.source_dir, "seeds")
    import json
    out = subprocess.run([os.path.join(a.fuzzer_dir, "..", "dfrace-cli"), "recipes", "--recipe", recipe, "--json"],
                         capture_output=True, text=True).stdout
    protocol = json.loads(out)[0]["protocol"]
    return os.path.join(os.path.dirname(__file__), "..", "..", "src", "protocols", protocol, "fuzz", "seeds")

for recipe in recipes:
    seeds_dir = seeds_of(recipe)
    for feedback in (True, False):
        times, verdicts = [], set()
        for seed in range(1, a.seeds + 1):
            work = tempfile.mkdtemp(prefix="ttff-")
            shutil.copytree(seeds_dir, os.path.join(work, "corpus"))
            env = dict(os.environ, DFRACE_RECIPE=recipe)
            if not feedback:
                env["DFRACE_NO_INTERLEAVING_FEEDBACK"] = "1"
            t0 = time.monotonic()
            p = subprocess.run([fuzzer, f"-seed={seed}", f"-max_total_time={int(a.cap)}", "-max_len=256",
                                f"-artifact_prefix={work}/", os.path.join(work, "corpus")],
                               env=env, capture_output=True, text=True)
            dt = time.monotonic() - t0
            m = re.search(r"==dfrace== VERDICT (.*)", p.stderr)
            if m:
                times.append(dt)
                verdicts.add(m.group(1))
            else:
                times.append(float("inf"))
            shutil.rmtree(work, ignore_errors=True)
        found = sum(t != float("inf") for t in times)
        med = statistics.median(times)
        print(f"{recipe}\t{'feedback' if feedback else 'no-feedback'}\tmedian={med:.2f}s\tfound={found}/{a.seeds}"
              f"\ttimes={','.join(f'{t:.2f}' for t in times)}\tverdicts={' | '.join(sorted(verdicts))}", flush=True)
