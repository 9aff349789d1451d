#!/usr/bin/env python3
"""Controlled experiments for tokgraft mixture: tokenizers trained on known mixtures.

For n = 5, 10 and 19 categories and --mixtures mixtures each: the categories
are drawn at random from $TOKGRAFT_DATA/corpus/train and their proportions
from a flat Dirichlet (normalised Gamma(1) draws of Python's random.Random,
seed 1000 * n + k for mixture k); the training
text is --train-mb MB in those proportions, by bytes, taken from the start of
each training file (separator lines dropped); `build/tokgraft train
--vocab-size V` (default pre-tokenizer, as HF's trainer) makes the tokenizer.
`tokgraft mixture --unit line` (the trainer reads lines) then infers the
proportions twice:
  dev       with the category files of corpus/dev (the issue's setting),
  held-out  with the --sample-kb kB of corpus/train that follow the training
            text (disjoint from it; same size for every category).
Printed: mean squared error of the proportions per mixture, averaged (MSE) and
as the mean and median of log10 MSE, per n and sample set. Each mixture's
train + infer runs under the build lock, so other jobs interleave.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def lines_of(path, cache={}):  # noqa: B006 - a deliberate per-process cache
    if path not in cache:
        with open(path, encoding="utf-8") as f:
            cache[path] = [line for line in f if line != "\x1e\n"]
    return cache[path]


def pieces(path, first, second):
    """About `first` bytes from the start of the file, then about `second` more."""
    a, b, size_a, size_b = [], [], 0, 0
    for line in lines_of(path):
        n = len(line.encode("utf-8"))
        if size_a < first:
            a.append(line)
            size_a += n
        elif size_b < second:
            b.append(line)
            size_b += n
        else:
            break
    return "".join(a), "".join(b)


def infer(tokgraft, tokenizer, samples):
    cmd = [tokgraft, "mixture", "-t", tokenizer, "--unit", "line", "--json", "--quiet"]
    for name, path in samples:
        cmd += ["--category", f"{name}={path}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return {c["name"]: c["proportion"] for c in json.loads(out)["categories"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=str(REPO / "build" / "tokgraft"))
    ap.add_argument("--data", default=os.environ.get("TOKGRAFT_DATA", os.path.expanduser("~/.cache/tokgraft-data")))
    ap.add_argument("--sizes", default="5,10,19")
    ap.add_argument("--mixtures", type=int, default=20)
    ap.add_argument("--train-mb", type=float, default=3.0)
    ap.add_argument("--sample-kb", type=float, default=300)
    ap.add_argument("--vocab-size", type=int, default=10000)
    args = ap.parse_args()
    train_dir = Path(args.data) / "corpus" / "train"
    dev_dir = Path(args.data) / "corpus" / "dev"
    categories = sorted(p.stem for p in train_dir.glob("*.txt"))
    print("$ " + " ".join(["tools/bench/mixture_experiment.py"] + sys.argv[1:]))
    print(f"training text {args.train_mb} MB per mixture, vocabulary {args.vocab_size}, flat Dirichlet; "
          f"samples: corpus/dev files, or {args.sample_kb:.0f} kB held out of corpus/train")
    start = time.time()
    rows = []
    with tempfile.TemporaryDirectory(prefix="mixture-exp-") as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            errors = {"dev": [], "held-out": []}
            for k in range(args.mixtures):
                rng = random.Random(1000 * n + k)
                chosen = sorted(rng.sample(categories, n))
                draws = [rng.gammavariate(1.0, 1.0) for _ in chosen]
                alpha = [d / sum(draws) for d in draws]
                text, held = [], []
                for name, a in zip(chosen, alpha):
                    train, sample = pieces(train_dir / f"{name}.txt", a * args.train_mb * 1e6, args.sample_kb * 1e3)
                    text.append(train)
                    Path(tmp, f"held-{name}.txt").write_text(sample, encoding="utf-8")
                    held.append((name, str(Path(tmp, f"held-{name}.txt"))))
                Path(tmp, "train.txt").write_text("".join(text), encoding="utf-8")
                tokenizer = str(Path(tmp, "tokenizer.json"))
                subprocess.run(["flock", "/tmp/tokgraft-build.lock", args.tokgraft, "train", "--vocab-size",
                                str(args.vocab_size), "--out", tokenizer, "--quiet", str(Path(tmp, "train.txt"))],
                               check=True)
                truth = dict(zip(chosen, alpha))
                for label, samples in [("dev", [(c, str(dev_dir / f"{c}.txt")) for c in chosen]), ("held-out", held)]:
                    got = infer(args.tokgraft, tokenizer, samples)
                    mse = statistics.fmean((got[c] - truth[c]) ** 2 for c in chosen)
                    errors[label].append(mse)
                print(f"  n={n} mixture {k}: MSE dev {errors['dev'][-1]:.2e}, held-out {errors['held-out'][-1]:.2e}",
                      file=sys.stderr)
            for label, mses in errors.items():
                logs = [math.log10(max(m, 1e-300)) for m in mses]
                rows.append((n, label, len(mses), statistics.fmean(mses), statistics.fmean(logs),
                             statistics.median(logs)))
    print(f"({time.time() - start:.0f} s)")
    print()
    print("| categories | samples | mixtures | MSE | mean log10 MSE | median log10 MSE |")
    print("|---:|---|---:|---:|---:|---:|")
    for n, label, count, mse, mean_log, median_log in rows:
        print(f"| {n} | {label} | {count} | {mse:.2e} | {mean_log:.2f} | {median_log:.2f} |")


if __name__ == "__main__":
    main()
