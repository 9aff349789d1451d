#!/usr/bin/env python3
"""Controlled experiments for tokgraft mixture: tokenizers trained on known mixtures.

For each n of --sizes and mixtures k = 0 .. --mixtures - 1: n categories are
drawn at random from $TOKGRAFT_DATA/corpus/train and their proportions from a
flat Dirichlet (normalised Gamma(1) draws of Python's random.Random, seed
1000 * n + k). The training text is --train-mb MB in those proportions, by
bytes, taken from the start of each training file (separator lines dropped);
the last --held-out-mb MB of each file (at most half of it) are kept out of
training for samples. The true proportions are the bytes actually used (a
small file may give less than its share). `build/tokgraft train --vocab-size V`
(default pre-tokenizer, digits + byte-level, as HF's trainer) makes the
tokenizer; `tokgraft mixture --unit line` (the trainer reads lines) infers the
proportions (with --program per-step: `--no-pair-slack`) with each sample set
of --variants:
  dev            the category files of corpus/dev (the issue's setting)
  heldout-S      the first S kB of the held-out part of corpus/train
  heldout-S-mT   the same, replaying only the first T merges
  train-text     the very text each category gave the training (exact: a check)
and, as a baseline, the guess 1/n for every category (row "uniform").
Printed: per n and sample set, the mean squared error of the proportions
(mean over a mixture's categories), its mean over mixtures, and the mean and
median of log10 MSE; with --by-kind, the mean squared error of code and of
natural-language categories separately.

Each mixture (train + every inference) runs under the build lock
(/tmp/tokgraft-build.lock, flock), one mixture per hold, so other jobs
interleave. Results go to --results (one JSON line per mixture); a run skips
mixtures already there, so it can be stopped and continued.
"""

import argparse
import fcntl
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCK = "/tmp/tokgraft-build.lock"
CODE = {"c", "cpp", "go", "javascript", "python", "rust", "shell"}


@contextmanager
def build_lock():
    with open(LOCK, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def lines_of(path, cache={}):  # noqa: B006 - a deliberate per-process cache
    if path not in cache:
        with open(path, encoding="utf-8") as f:
            cache[path] = [line for line in f if line != "\x1e\n"]
    return cache[path]


def split_file(path, train_bytes, held_out_bytes):
    """Training text from the start (up to train_bytes), and the held-out part:
    the last held_out_bytes of the file (at most half of it), never overlapping."""
    lines = lines_of(path)
    total = sum(len(line.encode("utf-8")) for line in lines)
    held_target = min(held_out_bytes, total / 2)
    held, size = [], 0
    while len(held) < len(lines) and size < held_target:
        line = lines[len(lines) - len(held) - 1]
        held.append(line)
        size += len(line.encode("utf-8"))
    held.reverse()
    train, used = [], 0
    for line in lines[: len(lines) - len(held)]:
        if used >= train_bytes:
            break
        train.append(line)
        used += len(line.encode("utf-8"))
    return train, used, held


def first_bytes(lines, limit):
    out, size = [], 0
    for line in lines:
        if size >= limit:
            break
        out.append(line)
        size += len(line.encode("utf-8"))
    return "".join(out)


def infer(tokgraft, tokenizer, samples, program, merges=None):
    cmd = [tokgraft, "mixture", "-t", tokenizer, "--unit", "line", "--json", "--quiet"]
    if program == "per-step":
        cmd.append("--no-pair-slack")
    if merges:
        cmd += ["--merges", str(merges)]
    for name, path in samples:
        cmd += ["--category", f"{name}={path}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return {c["name"]: c["proportion"] for c in json.loads(out)["categories"]}


def run_mixture(args, n, k, categories, tmp):
    train_dir = Path(args.data) / "corpus" / "train"
    dev_dir = Path(args.data) / "corpus" / "dev"
    rng = random.Random(1000 * n + k)
    chosen = sorted(rng.sample(categories, n))
    draws = [rng.gammavariate(1.0, 1.0) for _ in chosen]
    wanted = [d / sum(draws) for d in draws]
    text, used, held = [], {}, {}
    for name, a in zip(chosen, wanted):
        train, used[name], held[name] = split_file(train_dir / f"{name}.txt", a * args.train_mb * 1e6,
                                                   args.held_out_mb * 1e6)
        text.append("".join(train))
        Path(tmp, f"train-{name}.txt").write_text(text[-1], encoding="utf-8")
    Path(tmp, "train.txt").write_text("".join(text), encoding="utf-8")
    truth = {c: used[c] / sum(used.values()) for c in chosen}
    sample_sets = {}
    for variant in args.variants.split(","):
        if variant == "dev":
            sample_sets[variant] = ([(c, str(dev_dir / f"{c}.txt")) for c in chosen], args.merges)
        elif variant == "train-text":
            sample_sets[variant] = ([(c, str(Path(tmp, f"train-{c}.txt"))) for c in chosen], args.merges)
        elif variant.startswith("heldout-"):
            parts = variant.split("-")
            kb, merges = float(parts[1]), (int(parts[2][1:]) if len(parts) > 2 else args.merges)
            samples = []
            for c in chosen:
                path = Path(tmp, f"held-{c}-{parts[1]}.txt")
                path.write_text(first_bytes(held[c], kb * 1e3), encoding="utf-8")
                samples.append((c, str(path)))
            sample_sets[variant] = (samples, merges)
        else:
            sys.exit(f"unknown variant {variant}")
    tokenizer = str(Path(tmp, "tokenizer.json"))
    with build_lock():
        start = time.time()
        subprocess.run([args.tokgraft, "train", "--vocab-size", str(args.vocab_size), "--out", tokenizer, "--quiet",
                        str(Path(tmp, "train.txt"))], check=True)
        train_seconds = time.time() - start
        estimates = {label: infer(args.tokgraft, tokenizer, samples, args.program, merges)
                     for label, (samples, merges) in sample_sets.items()}
    return {"n": n, "k": k, "program": args.program, "merges": args.merges, "train_mb": args.train_mb, "vocab_size": args.vocab_size,
            "held_out_mb": args.held_out_mb, "truth": truth, "estimates": estimates,
            "train_seconds": round(train_seconds, 2)}


def mse(record, label):
    truth = record["truth"]
    # "uniform": the guess 1/n, the baseline a method has to beat
    got = {c: 1 / len(truth) for c in truth} if label == "uniform" else record["estimates"][label]
    return statistics.fmean((got[c] - truth[c]) ** 2 for c in truth)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=str(REPO / "build" / "tokgraft"))
    ap.add_argument("--data", default=os.environ.get("TOKGRAFT_DATA", os.path.expanduser("~/.cache/tokgraft-data")))
    ap.add_argument("--sizes", default="5,10,19")
    ap.add_argument("--mixtures", type=int, default=20)
    ap.add_argument("--train-mb", type=float, default=3.0)
    ap.add_argument("--held-out-mb", type=float, default=3.0)
    ap.add_argument("--vocab-size", type=int, default=10000)
    ap.add_argument("--variants", default="dev,heldout-300,heldout-3000")
    ap.add_argument("--results", default="mixture_experiment.jsonl",
                    help="one JSON line per mixture; mixtures already there are not run again")
    ap.add_argument("--program", choices=["pair-slack", "per-step"], default="pair-slack",
                    help="the mixture program: with a slack per pair (default) or per step only (--no-pair-slack); "
                         "records without this field were made by the per-step program")
    ap.add_argument("--merges", type=int, default=None,
                    help="replay only the first T merges (tokgraft mixture --merges T) in every variant without its "
                         "own -mT (default: all)")
    ap.add_argument("--report-only", action="store_true", help="print the table of --results, run nothing")
    ap.add_argument("--by-kind", action="store_true", help="also the MSE of code and of language categories")
    args = ap.parse_args()
    categories = sorted(p.stem for p in (Path(args.data) / "corpus" / "train").glob("*.txt"))
    sizes = [int(s) for s in args.sizes.split(",")]
    variants = args.variants.split(",")
    setting = {"train_mb": args.train_mb, "vocab_size": args.vocab_size, "held_out_mb": args.held_out_mb,
               "program": args.program, "merges": args.merges}

    # Fields that older records lack, as those records were made.
    default_of = {"program": "per-step", "merges": None}
    records = []
    if Path(args.results).exists():
        with open(args.results) as f:
            records = [json.loads(line) for line in f if line.strip()]
    def done(n, k):
        return next((r for r in records if r["n"] == n and r["k"] == k and all(r.get(key, default_of.get(key)) == v for key, v in setting.items())
                     and all(v in r["estimates"] for v in variants)), None)

    start = time.time()
    if not args.report_only:
        for n in sizes:
            for k in range(args.mixtures):
                if done(n, k):
                    continue
                with tempfile.TemporaryDirectory(prefix="mixture-exp-") as tmp:
                    record = run_mixture(args, n, k, categories, tmp)
                records.append(record)
                with open(args.results, "a") as f:
                    f.write(json.dumps(record) + "\n")
                print(f"  n={n} mixture {k}: " + ", ".join(f"{v} {mse(record, v):.1e}" for v in variants) +
                      f" (train {record['train_seconds']} s)", file=sys.stderr, flush=True)

    print("$ " + " ".join(["tools/bench/mixture_experiment.py"] + sys.argv[1:]))
    print(f"program: {args.program}, merges: {args.merges or 'all'}; training text {args.train_mb} MB per mixture, vocabulary {args.vocab_size}, flat Dirichlet; "
          f"held-out part of corpus/train: last {args.held_out_mb} MB of each file (at most half)"
          + (f"; ran for {time.time() - start:.0f} s" if not args.report_only else ""))
    print()
    header = "| categories | samples | mixtures | MSE | mean log10 MSE | median log10 MSE |"
    if args.by_kind:
        header += " MSE code categories | MSE language categories |"
    print(header)
    print("|---:|---|---:|---:|---:|---:|" + ("---:|---:|" if args.by_kind else ""))
    for n in sizes:
        rows = [r for r in (done(n, k) for k in range(args.mixtures)) if r]
        for v in variants + ["uniform"]:
            if not rows:
                continue
            mses = [mse(r, v) for r in rows]
            logs = [math.log10(max(m, 1e-300)) for m in mses]
            line = (f"| {n} | {v} | {len(rows)} | {statistics.fmean(mses):.2e} | {statistics.fmean(logs):.2f} | "
                    f"{statistics.median(logs):.2f} |")
            if args.by_kind:
                for kind in ("code", "language"):
                    # squared errors pooled over all categories of that kind
                    errs = [(got[c] - r["truth"][c]) ** 2 for r in rows
                            for got in [{c: 1 / len(r["truth"]) for c in r["truth"]} if v == "uniform"
                                        else r["estimates"][v]]
                            for c in r["truth"] if (c in CODE) == (kind == "code")]
                    line += f" {statistics.fmean(errs):.2e} ({len(errs)}) |" if errs else " – |"
            print(line)


if __name__ == "__main__":
    main()
