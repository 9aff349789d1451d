#!/usr/bin/env python3
"""Training time and peak memory: tokgraft train against HF's BpeTrainer and spm_train.

Each trainer runs on the same files with 2 threads and the same vocabulary size:
  tokgraft   build/tokgraft train --threads 2 (default pre-tokenizer, HF's setup)
  hf         ../shared/oracle/hf train (HF tokenizers 0.23.2, RAYON_NUM_THREADS=2); its
             merges are checked to be identical to tokgraft's
  spm        spm_train --model_type=bpe --num_threads=2 (Debian's sentencepiece); it
             skips lines longer than --max_sentence_length (4192 bytes by default),
             which the table notes
Peak memory is the maximum resident set size of the run (getrusage of the child
and its descendants). Times are the median of --reps runs (spm: --spm-reps).
The vocabulary size defaults to 30000: the oracle can only train HF's default
vocabulary (see `hf train --help`), so a larger size cannot be checked for
identical merges.

Takes the build lock (/tmp/tokgraft-build.lock) while tokgraft and HF run; spm_train,
which takes tens of minutes on the full corpus, runs after the lock is released.
"""

import argparse
import fcntl
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
import refs  # noqa: E402


def measured(cmd, env=None, timeout=None):
    """Runs cmd in a fresh process that reports its children's peak RSS; returns
    (seconds, peak MiB, returncode)."""
    probe = ("import resource, subprocess, sys, time, json\n"
             "t = time.perf_counter()\n"
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
             "print(json.dumps([time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, r.returncode]))\n")
    try:
        out = subprocess.run([sys.executable, "-c", probe, *map(str, cmd)], capture_output=True, text=True,
                             env=env, timeout=timeout, check=True).stdout
    except subprocess.TimeoutExpired:
        return None
    return tuple(json.loads(out))


def merges_of(path):
    model = json.loads(Path(path).read_text(encoding="utf-8"))["model"]
    return [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=str(refs.REPO / "build" / "tokgraft"))
    ap.add_argument("--vocab", type=int, default=30000)
    ap.add_argument("--categories", help="comma-separated train categories (default: all)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--spm-reps", type=int, default=1)
    ap.add_argument("--spm-timeout", type=float, default=3600, help="seconds before spm_train is given up")
    ap.add_argument("--skip-spm", action="store_true")
    args = ap.parse_args()
    hf = refs.find_hf()
    train_dir = refs.data_dir() / "corpus" / "train"
    files = sorted(train_dir.glob("*.txt"))
    if args.categories:
        files = [train_dir / f"{c}.txt" for c in args.categories.split(",")]
    if not files or hf is None:
        print(f"SKIPPED: no training files in {train_dir} or no oracle; run shared/data/fetch")
        return 0
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    lock = open("/tmp/tokgraft-build.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    env2 = dict(os.environ, RAYON_NUM_THREADS="2")
    rows = {}
    with tempfile.TemporaryDirectory(prefix="tokgraft-train-bench-") as tmp:
        ours, ref = Path(tmp) / "ours.json", Path(tmp) / "hf.json"
        runs = {
            "tokgraft": ([args.tokgraft, "train", "--quiet", "--threads", "2", "--vocab-size", args.vocab,
                          "--out", ours, *files], None, args.reps, None),
            "hf": ([hf, "train", ref, "--vocab-size", args.vocab, *files], env2, args.reps, None),
        }
        if not args.skip_spm:
            runs["spm"] = (["spm_train", f"--input={','.join(map(str, files))}", f"--model_prefix={tmp}/spm",
                            f"--vocab_size={args.vocab}", "--model_type=bpe", "--num_threads=2",
                            "--minloglevel=2"], None, args.spm_reps, args.spm_timeout)
        for name, (cmd, env, reps, timeout) in runs.items():
            if name == "spm":
                fcntl.flock(lock, fcntl.LOCK_UN)
            results = []
            for _ in range(reps):
                r = measured(cmd, env, timeout)
                if r is None:
                    results = None
                    break
                if r[2] != 0:
                    print(f"{name} failed (exit {r[2]}): {' '.join(map(str, cmd))[:200]}", file=sys.stderr)
                    return 1
                results.append(r)
            rows[name] = results
            if results:
                print(f"{name}: {statistics.median(r[0] for r in results):.1f} s, "
                      f"{max(r[1] for r in results):.0f} MiB", file=sys.stderr)
        identical = merges_of(ours) == merges_of(ref)

    t_ours = statistics.median(r[0] for r in rows["tokgraft"])
    m_ours = max(r[1] for r in rows["tokgraft"])
    print(f"Training on {len(files)} files of corpus/train ({size_mb:.0f} MB), vocabulary {args.vocab}, 2 threads; "
          f"median of {args.reps} runs (spm: {args.spm_reps}).\n")
    print("| trainer | seconds | peak memory (MiB) | tokgraft faster by | tokgraft memory share |")
    print("|---|---:|---:|---:|---:|")
    for name, results in rows.items():
        if not results:
            print(f"| {name} | > {args.spm_timeout:.0f} (gave up) | | | |")
            continue
        t = statistics.median(r[0] for r in results)
        m = max(r[1] for r in results)
        print(f"| {name} | {t:.1f} | {m:.0f} | {t / t_ours:.1f}× | {m_ours / m:.2f} |")
    print(f"\nMerges identical to HF's: {'yes' if identical else 'NO'}.")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
