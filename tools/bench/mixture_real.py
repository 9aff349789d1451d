#!/usr/bin/env python3
"""tokgraft mixture on published tokenizers: inferred training mixtures.

Runs `build/tokgraft mixture -t $TOKGRAFT_DATA/tokenizers/NAME.json --json`
over every category of corpus/dev (or --corpus DIR) for each tokenizer, under
the build lock, and prints one markdown table: a row per category (percent),
then the English / other natural languages / code totals, the steps in the
program, the total slack and the seconds.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CODE = {"c", "cpp", "go", "javascript", "python", "rust", "shell"}
DEFAULT = "gpt35turbo,gpt4o,gptoss,llama3,qwen3,deepseek_v3,claude,llama2,gemma3"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=str(REPO / "build" / "tokgraft"))
    ap.add_argument("--data", default=os.environ.get("TOKGRAFT_DATA", os.path.expanduser("~/.cache/tokgraft-data")))
    ap.add_argument("--tokenizers", default=DEFAULT)
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--merges", type=int, default=None, help="replay only the first N merges (default: all)")
    args = ap.parse_args()
    corpus = args.corpus or str(Path(args.data) / "corpus" / "dev")
    names = args.tokenizers.split(",")
    results = {}
    for name in names:
        cmd = ["flock", "/tmp/tokgraft-build.lock", args.tokgraft, "mixture", "-t",
               str(Path(args.data) / "tokenizers" / f"{name}.json"), "--corpus", corpus, "--json", "--quiet"]
        if args.merges:
            cmd += ["--merges", str(args.merges)]
        results[name] = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    print("$ " + " ".join(["tools/bench/mixture_real.py"] + sys.argv[1:]))
    print()
    print("| category | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    categories = [c["name"] for c in results[names[0]]["categories"]]
    share = {n: {c["name"]: 100 * c["proportion"] for c in r["categories"]} for n, r in results.items()}
    for c in categories:
        print(f"| {c} | " + " | ".join(f"{share[n][c]:.1f}" for n in names) + " |")
    groups = [("**English**", lambda c: c == "en"), ("**other languages**", lambda c: c != "en" and c not in CODE),
              ("**code**", lambda c: c in CODE)]
    for label, member in groups:
        print(f"| {label} | " + " | ".join(f"**{sum(v for c, v in share[n].items() if member(c)):.1f}**"
                                           for n in names) + " |")
    print("| steps in program / merges | " + " | ".join(
        f"{results[n]['constrained_steps']} / {results[n]['merges_used']}" for n in names) + " |")
    print("| total slack (per M bytes) | " + " | ".join(f"{results[n]['total_slack']:.3g}" for n in names) + " |")
    print("| seconds | " + " | ".join(f"{results[n]['seconds']['total']:.1f}" for n in names) + " |")


if __name__ == "__main__":
    main()
