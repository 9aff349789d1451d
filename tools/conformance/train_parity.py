#!/usr/bin/env python3
"""Training parity: `tokgraft train` against Hugging Face's BpeTrainer (the oracle).

For each case (corpus training files, alone and together, byte-level and metaspace):
  1. the oracle trains (`hf train`, vocabulary 30000 by default, min frequency 0, no
     special tokens, Digits + ByteLevel pre-tokenizer);
  2. tokgraft trains with the same settings, once from the text and once from word
     counts made shard by shard (`tokgraft count` per file, then `--from-counts`);
  3. the merge lists must be identical (and for byte-level the vocabularies too; for
     metaspace tokgraft adds 256 byte-fallback tokens, so only merges are compared);
  4. the dev documents of the case's categories are encoded by the oracle and by
     tokgraft with tokgraft's trained tokenizer.json: the ids must be identical.

Prints SKIPPED: (and exits 0) without the shared data. Python standard library only.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import refs  # noqa: E402

# (name, categories, pre-tokenizer, vocabulary size)
CASES = [
    ("en", ["en"], "digits-bytelevel", 30000),
    ("zh", ["zh"], "digits-bytelevel", 30000),
    ("python", ["python"], "digits-bytelevel", 30000),
    ("de+fr+c+shell", ["de", "fr", "c", "shell"], "digits-bytelevel", 30000),
    ("en+ja metaspace", ["en", "ja"], "metaspace", 8000),
]


def merges_of(path):
    model = json.loads(Path(path).read_text(encoding="utf-8"))["model"]
    return [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]], model["vocab"]


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"first difference at merge {i}: tokgraft {x} vs reference {y}"
    return f"lengths differ: tokgraft {len(a)} vs reference {len(b)}"


def run_case(name, cats, pre, vocab, args, hf, work):
    corpus = refs.data_dir() / "corpus"
    files = [corpus / "train" / f"{c}.txt" for c in cats]
    ref_json, ours_json, counts_json = work / "ref.json", work / "ours.json", work / "from-counts.json"
    t0 = time.time()
    refs.run([hf, "train", ref_json, "--vocab-size", vocab, "--pre-tokenizer", pre, *files], what="hf train",
             timeout=args.timeout)
    t_ref = time.time() - t0
    # tokgraft's metaspace vocabulary also holds the 256 byte-fallback tokens.
    our_vocab = vocab + (256 if pre == "metaspace" else 0)
    t0 = time.time()
    refs.run([args.tokgraft, "train", "--quiet", "--vocab-size", our_vocab, "--pre-tokenizer", pre,
              "--out", ours_json, *files], what="tokgraft train", timeout=args.timeout)
    t_ours = time.time() - t0
    shard_counts = []
    for i, f in enumerate(files):
        shard_counts.append(work / f"shard{i}.counts")
        refs.run([args.tokgraft, "count", "--quiet", "--pre-tokenizer", pre, "--out", shard_counts[-1], f],
                 what="tokgraft count", timeout=args.timeout)
    refs.run([args.tokgraft, "train", "--quiet", "--vocab-size", our_vocab, "--pre-tokenizer", pre,
              "--from-counts", "--out", counts_json, *shard_counts], what="tokgraft train --from-counts",
             timeout=args.timeout)

    problems = []
    ref_merges, ref_vocab = merges_of(ref_json)
    for label, path in (("from text", ours_json), ("from shard counts", counts_json)):
        merges, vocab_map = merges_of(path)
        if merges != ref_merges:
            problems.append(f"merges {label}: {first_difference(merges, ref_merges)}")
        elif pre != "metaspace" and vocab_map != ref_vocab:
            problems.append(f"vocabulary {label} differs")

    docs = work / "dev.jsonl"
    with open(docs, "w", encoding="utf-8") as out:
        for c in cats:
            for line in (corpus / "dev" / f"{c}.jsonl").read_text(encoding="utf-8").splitlines():
                out.write(json.dumps(json.loads(line)["text"], ensure_ascii=False) + "\n")
    ref_ids = refs.run([hf, "encode", "-t", ours_json, "--jsonl", docs], what="hf encode", timeout=args.timeout)
    our_ids = refs.run([args.tokgraft, "encode", "-t", ours_json, "--jsonl", docs], what="tokgraft encode",
                       timeout=args.timeout)
    ref_lines, our_lines = ref_ids.splitlines(), our_ids.splitlines()
    bad = sum(1 for a, b in zip(ref_lines, our_lines) if a != b) + abs(len(ref_lines) - len(our_lines))
    if bad:
        problems.append(f"dev encoding: {bad} of {len(ref_lines)} documents differ from the reference")
    status = "ok" if not problems else "FAIL"
    print(f"{name:18s} {status:4s} merges {len(ref_merges):6d}  dev docs {len(ref_lines):4d}  "
          f"reference train {t_ref:6.1f} s, tokgraft {t_ours:5.1f} s")
    for p in problems:
        print(f"    {p}")
    return not problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=str(refs.REPO / "build" / "tokgraft"))
    ap.add_argument("--hf", help="the oracle's hf wrapper (default: $TOKGRAFT_HF or shared/oracle/hf)")
    ap.add_argument("--only", action="append", default=[], help="run only this case (repeatable)")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()
    missing = refs.data_missing()
    hf = refs.find_hf(args.hf)
    if missing or hf is None:
        print(f"SKIPPED: {missing or 'the reference (shared/oracle/hf) was not found'}")
        return 0
    ok = True
    for name, cats, pre, vocab in CASES:
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory(prefix="tokgraft-train-parity-") as tmp:
            try:
                ok = run_case(name, cats, pre, vocab, args, hf, Path(tmp)) and ok
            except refs.ToolError as e:
                print(f"{name:18s} FAIL {e}")
                ok = False
    print("train parity:", "all identical" if ok else "MISMATCHES")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
