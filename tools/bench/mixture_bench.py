#!/usr/bin/env python3
"""Speed and memory of tokgraft mixture: replay + LP for a 100k-merge tokenizer.

Runs `build/tokgraft mixture -t TOKENIZER --json --quiet` (default gpt35turbo,
100,000 merges) over every category of $TOKGRAFT_DATA/corpus/dev, --reps times
under /usr/bin/time -v, and prints the medians of the wall clock, the phases
tokgraft reports (read + pre-tokenize, replay, constraint search, LP solver) and
the peak resident memory. Each run takes the build lock
(/tmp/tokgraft-build.lock), so other heavy jobs on the machine interleave.
Goal (issue): under 2 minutes on 2 cores and under 4 GB.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_once(cmd):
    out = subprocess.run(["flock", "/tmp/tokgraft-build.lock", "/usr/bin/time", "-v", *cmd], capture_output=True,
                         text=True, check=True)
    result = json.loads(out.stdout)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", out.stderr).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) == 3 else 0)
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    return result, seconds, rss_kb / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=str(REPO / "build" / "tokgraft"))
    ap.add_argument("--data", default=os.environ.get("TOKGRAFT_DATA", os.path.expanduser("~/.cache/tokgraft-data")))
    ap.add_argument("--tokenizer", default="gpt35turbo")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    tokenizer = Path(args.data) / "tokenizers" / f"{args.tokenizer}.json"
    corpus = Path(args.data) / "corpus" / "dev"
    cmd = [args.tokgraft, "mixture", "-t", str(tokenizer), "--corpus", str(corpus), "--threads", str(args.threads),
           "--json", "--quiet"]
    print("$ " + " ".join(["tools/bench/mixture_bench.py"] + sys.argv[1:]))
    print("each run: " + " ".join(cmd))
    runs = [run_once(cmd) for _ in range(args.reps)]
    med = lambda f: statistics.median(f(r) for r in runs)  # noqa: E731
    first = runs[0][0]
    sample_mb = sum(c["bytes"] for c in first["categories"]) / 1e6
    print()
    print(f"{args.tokenizer}: {first['merges_used']} merges ({first['steps']} steps, {first['constrained_steps']} in "
          f"the program), {len(first['categories'])} categories of corpus/dev ({sample_mb:.2f} MB), "
          f"{args.threads} threads; median of {args.reps} runs")
    print()
    print("| phase | seconds |")
    print("|---|---:|")
    for label, key in [("read + pre-tokenize", "read"), ("replay", "replay"), ("constraint search", "search"),
                       ("LP solver (CLP)", "solve"), ("total (tokgraft's clock)", "total")]:
        print(f"| {label} | {med(lambda r: r[0]['seconds'][key]):.2f} |")
    print(f"| wall clock, process (load included) | {med(lambda r: r[1]):.2f} |")
    print()
    print(f"peak resident memory: {med(lambda r: r[2]):.0f} MiB (runs: "
          + ", ".join(f"{r[2]:.0f}" for r in runs) + "); wall clock per run: "
          + ", ".join(f"{r[1]:.2f} s" for r in runs))
    print(f"rows {first['constraints']}, pair slack columns {first['pair_columns']}, rounds {first['rounds']}, "
          f"total slack {first['total_slack']:.6g} (of which pair slack {first['pair_slack']:.6g}; lower bound "
          f"{first['slack_lower_bound']:.6g})")
    ok = med(lambda r: r[1]) < 120 and max(r[2] for r in runs) < 4096
    print(f"goal (< 120 s, < 4096 MiB): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
