#!/usr/bin/env python3
"""Dynamic merging report: how much `tokgraft merge-batch` shortens batches of real
documents, per corpus category, boundary mode and number of merges.

For each category of $TOKGRAFT_DATA/corpus/dev (documents separated by a line holding
only U+001E), the documents are cut, in file order, into batches of --batch-size (32);
a last, smaller batch is dropped. Each batch is merged once per boundary mode with the
largest merge count; merging is greedy and deterministic, so the first m merges of that
run are exactly a run with --merges m, and the reduction after m merges is the sum of
the first m tokens' "count". Reduction = merged tokens / tokens before merging of the
batch, in %; the table shows the mean over a category's batches. A run that stops early
(no pair occurs twice) keeps its final reduction for larger m.

The machine has 2 cores shared with others: the report takes an exclusive flock on
/tmp/tokgraft-build.lock for its whole run (--no-lock if you already hold it).

  tools/bench/merge_batch_report.py
  tools/bench/merge_batch_report.py --categories en,python --merges 0,10,100 --max-batches 1
"""

import argparse
import fcntl
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

LOCK = "/tmp/tokgraft-build.lock"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def documents(path):
    """Documents of a corpus file: a line holding only U+001E separates them."""
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    docs, current = [], []
    for line in text.splitlines(keepends=True):
        if line.rstrip("\r\n") == "\x1e":
            docs.append("".join(current))
            current = []
        else:
            current.append(line)
    docs.append("".join(current))
    return [d for d in docs if d]


def merge_counts(tokgraft, tokenizer, docs, boundary, merges):
    """(tokens before merging, [count of each merge in order]) for one batch."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as f:
        for d in docs:
            f.write(json.dumps(d) + "\n")
        batch_file = f.name
    try:
        out = subprocess.run([tokgraft, "merge-batch", "-t", tokenizer, "--merges", str(merges), "--boundary", boundary,
                              "--jsonl", batch_file], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(batch_file)
    after, counts = 0, []
    for line in out.splitlines():
        if line.startswith("["):
            after += len(json.loads(line))
        elif line.startswith("{"):
            counts.append(json.loads(line)["count"])
    return after + sum(counts), counts


def take_lock(path):
    f = open(path, "w")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"waiting for {path} (a build or benchmark holds it)", file=sys.stderr)
        fcntl.flock(f, fcntl.LOCK_EX)
    return f


def main():
    data = os.environ.get("TOKGRAFT_DATA", os.path.expanduser("~/.cache/tokgraft-data"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=os.path.join(ROOT, "build", "tokgraft"))
    ap.add_argument("--tokenizer", default=os.path.join(data, "tokenizers", "llama3.json"))
    ap.add_argument("--merges", default="0,10,50,100,200,500", help="comma-separated merge counts")
    ap.add_argument("--boundaries", default="pretoken,word,any")
    ap.add_argument("--categories", default="", help="comma-separated (default: all)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-batches", type=int, default=0, help="per category (0: all full batches)")
    ap.add_argument("--no-lock", action="store_true", help=f"do not take {LOCK}")
    args = ap.parse_args()

    corpus = os.path.join(data, "corpus", "dev")
    if not os.path.isdir(corpus) or not os.path.exists(args.tokenizer):
        sys.exit(f"SKIPPED: {corpus} or {args.tokenizer} is missing (set TOKGRAFT_DATA)")
    merge_points = sorted({int(m) for m in args.merges.split(",")})
    boundaries = args.boundaries.split(",")
    categories = args.categories.split(",") if args.categories else sorted(
        f[:-4] for f in os.listdir(corpus) if f.endswith(".txt"))
    lock = None if args.no_lock else take_lock(LOCK)

    started = time.monotonic()
    # reductions[boundary][category] = one list per batch of reductions (%) at each merge point
    reductions = {b: {} for b in boundaries}
    batches_used = {}
    for category in categories:
        docs = documents(os.path.join(corpus, category + ".txt"))
        batches = [docs[i:i + args.batch_size] for i in range(0, len(docs) - args.batch_size + 1, args.batch_size)]
        if args.max_batches:
            batches = batches[:args.max_batches]
        batches_used[category] = (len(batches), len(docs))
        for boundary in boundaries:
            rows = []
            for batch in batches:
                before, counts = merge_counts(args.tokgraft, args.tokenizer, batch, boundary, merge_points[-1])
                rows.append([100.0 * sum(counts[:m]) / before for m in merge_points])
            reductions[boundary][category] = rows
        print(f"{category}: {len(batches)} batches", file=sys.stderr)
    elapsed = time.monotonic() - started
    if lock:
        lock.close()

    cmd = "tools/bench/merge_batch_report.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    print(f"```\n$ {cmd.strip()}\n```\n")
    print(f"Tokenizer {os.path.basename(args.tokenizer)}; batches of {args.batch_size} consecutive documents "
          f"(last partial batch dropped); mean sequence-length reduction (%) over a category's batches; "
          f"{elapsed:.0f} s.\n")
    for boundary in boundaries:
        print(f"#### --boundary {boundary}\n")
        print("| category | batches | " + " | ".join(f"m={m}" for m in merge_points) + " |")
        print("|---|---:|" + "---:|" * len(merge_points))
        overall = [[] for _ in merge_points]
        for category in categories:
            rows = reductions[boundary][category]
            if not rows:
                continue
            means = [sum(r[k] for r in rows) / len(rows) for k in range(len(merge_points))]
            for k, v in enumerate(means):
                overall[k].append(v)
            used, total = batches_used[category]
            print(f"| {category} | {used} ({used * args.batch_size}/{total} docs) | "
                  + " | ".join(f"{v:.1f}" for v in means) + " |")
        print("| **mean of categories** | | " + " | ".join(
            f"**{sum(v) / len(v):.1f}**" if v else "" for v in overall) + " |\n")


if __name__ == "__main__":
    main()
