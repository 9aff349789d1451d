#!/usr/bin/python3
"""Quality of tokgraft transplant methods, in bits per byte with tokgraft eval.

    tools/bench/transplant_quality.py BASE DONOR [--methods hybrid,omp,...] [--cats en,de,python]
        [--max-docs 10] [--max-chars 4000] [--reference]

For each method: `tokgraft transplant BASE DONOR OUT --method M`, then
`tokgraft eval OUT $TOKGRAFT_DATA/corpus/dev/CAT.txt --max-docs N --max-chars C`.
The first row is BASE with its own vocabulary. With --reference, also runs
../shared/reference/transplant_table.py (the independent NumPy transplant,
scored by the NumPy lm_eval.py) and prints its rows beside ours. Prints a
Markdown table.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def evaluate(tokgraft, model, files, args):
    out = subprocess.run([tokgraft, "eval", model, *files, "--max-docs", str(args.max_docs),
                          "--max-chars", str(args.max_chars), "--json", "--quiet"],
                         check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return {os.path.basename(f)[:-4]: result["files"][f]["bpb"] for f in files}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("base")
    ap.add_argument("donor")
    ap.add_argument("--methods", default="hybrid,omp,tokenadapt,fvt,knn,mean,zero")
    ap.add_argument("--cats", default="en,de,python")
    ap.add_argument("--max-docs", type=int, default=10)
    ap.add_argument("--max-chars", type=int, default=4000)
    ap.add_argument("--tokgraft", default=os.path.join(ROOT, "build", "tokgraft"))
    ap.add_argument("--extra", default="", help="extra transplant options, e.g. '--k 32'")
    ap.add_argument("--reference", action="store_true", help="also run the NumPy reference table")
    args = ap.parse_args()
    data = os.environ.get("TOKGRAFT_DATA", os.path.expanduser("~/.cache/tokgraft-data"))
    cats = args.cats.split(",")
    files = [os.path.join(data, "corpus", "dev", c + ".txt") for c in cats]
    rows = [("base, own vocabulary", evaluate(args.tokgraft, args.base, files, args), None)]
    with tempfile.TemporaryDirectory() as tmp:
        for method in args.methods.split(","):
            out = os.path.join(tmp, method)
            start = time.time()
            subprocess.run([args.tokgraft, "transplant", args.base, args.donor, out, "--method", method,
                            "--quiet", *args.extra.split()], check=True, capture_output=True)
            seconds = time.time() - start
            rows.append((f"tokgraft {method}", evaluate(args.tokgraft, out, files, args), seconds))
            print(f"{method}: {rows[-1][1]} ({seconds:.1f} s)", file=sys.stderr, flush=True)
    print(f"| model | {' | '.join(cats)} | transplant s |")
    print(f"|---|{'---|' * len(cats)}---|")
    for name, bpb, seconds in rows:
        print(f"| {name} | {' | '.join(f'{bpb[c]:.3f}' for c in cats)} | {'' if seconds is None else f'{seconds:.1f}'} |")
    if args.reference:
        reference = os.path.join(ROOT, "..", "shared", "reference", "transplant_table.py")
        print("\nNumPy reference (transplant_table.py):\n", flush=True)
        subprocess.run(["/usr/bin/python3", reference, args.base, args.donor, "--cats", args.cats], check=True)


if __name__ == "__main__":
    main()
