#!/usr/bin/env python3
"""Bytes per token of plain BPE against supertokens, on every dev category.

Trains, on $TOKGRAFT_DATA/corpus/train/{en,de,fr,python,c}.txt (those that exist),
with tokgraft's default pre-tokenizer (Digits + GPT-2 byte-level split):
  plain          ordinary BPE
  superbpe       SuperBPE, transition at 90% of the vocabulary (the default)
  superbpe-t50   SuperBPE, transition at 50%
  tokenadapt     TokenAdapt-style random chunks (weights 0.4,0.3,0.2,0.1 for 1..4 pre-tokens)
at each vocabulary size (8192 and 32768 by default), then encodes every
$TOKGRAFT_DATA/corpus/dev/CAT.txt and prints a markdown table of bytes per token,
and each method's token reduction against plain BPE on English dev.
Takes the build lock (/tmp/tokgraft-build.lock) so timings elsewhere are not disturbed.
"""

import argparse
import fcntl
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TRAIN_CATEGORIES = ["en", "de", "fr", "python", "c"]
METHODS = [
    ("plain", []),
    ("superbpe", ["--supertokens", "superbpe"]),
    ("superbpe-t50", ["--supertokens", "superbpe", "--transition", "{half}"]),
    ("tokenadapt", ["--supertokens", "tokenadapt"]),
]


def data_dir():
    return Path(os.environ.get("TOKGRAFT_DATA") or Path.home() / ".cache" / "tokgraft-data")


def encode_counts(tokgraft, tokenizer, text_file):
    out = subprocess.run([tokgraft, "encode", "-t", tokenizer, "--bench", "--threads", "2", text_file],
                         check=True, capture_output=True, text=True).stdout
    d = json.loads(out)
    return d["bytes"], d["tokens"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=str(REPO / "build" / "tokgraft"))
    ap.add_argument("--vocab", type=int, action="append", help="vocabulary sizes (default 8192 and 32768)")
    args = ap.parse_args()
    vocabs = args.vocab or [8192, 32768]
    corpus = data_dir() / "corpus"
    train = [corpus / "train" / f"{c}.txt" for c in TRAIN_CATEGORIES if (corpus / "train" / f"{c}.txt").is_file()]
    if not train:
        print(f"SKIPPED: no training files under {corpus / 'train'}; run shared/data/fetch")
        return 0
    dev = sorted((corpus / "dev").glob("*.txt"))
    lock = open("/tmp/tokgraft-build.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    print(f"trained on: {', '.join(p.stem for p in train)}; bytes per token on corpus/dev\n")
    with tempfile.TemporaryDirectory(prefix="tokgraft-supertokens-") as tmp:
        for vocab in vocabs:
            results = {}
            for name, extra in METHODS:
                out = Path(tmp) / f"{name}-{vocab}.json"
                extra = [e.replace("{half}", str(vocab // 2)) for e in extra]
                subprocess.run([args.tokgraft, "train", "--quiet", "--vocab-size", str(vocab), *extra,
                                "--out", out, *train], check=True)
                results[name] = {p.stem: encode_counts(args.tokgraft, out, p) for p in dev}
            names = [n for n, _ in METHODS]
            print(f"### vocabulary {vocab}\n")
            print("| category | " + " | ".join(names) + " |")
            print("|---|" + "---:|" * len(names))
            for p in dev:
                cells = [f"{b / t:.2f}" for b, t in (results[n][p.stem] for n in names)]
                print(f"| {p.stem} | " + " | ".join(cells) + " |")
            if "en" in results["plain"]:
                plain_tokens = results["plain"]["en"][1]
                line = ", ".join(f"{n} {100 * (1 - results[n]['en'][1] / plain_tokens):.1f}%" for n in names[1:])
                print(f"\nEnglish dev, fewer tokens than plain BPE: {line}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
