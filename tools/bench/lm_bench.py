#!/usr/bin/env python3
"""LM runtime speed against this machine's GEMM peak and the NumPy reference.

Runs build/lm_bench (scoring 512-token windows of corpus/dev/en.txt with model-a on
1 and 2 threads, greedy generation one token at a time with the KV cache, and
OpenBLAS sgemm 2048^3 on 2 threads, all in one process), then times the NumPy
reference (shared/reference/lm_eval.py) scoring the same file's first documents
with the same model, and prints a markdown table. Takes the build lock.
"""
import argparse
import fcntl
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
import refs  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=str(refs.REPO / "build" / "lm_bench"))
    ap.add_argument("--model", default=str(refs.REPO.parent / "shared" / "models" / "model-a"))
    ap.add_argument("--windows", type=int, default=16)
    args = ap.parse_args()
    corpus = refs.data_dir() / "corpus" / "dev" / "en.txt"
    reference = refs.REPO.parent / "shared" / "reference" / "lm_eval.py"
    if not corpus.is_file() or not (Path(args.model) / "config.json").is_file():
        print(f"SKIPPED: {corpus} or {args.model} not found")
        return 0
    lock = open("/tmp/tokgraft-build.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    r = json.loads(subprocess.run([args.bench, args.model, corpus, str(args.windows)], check=True,
                                  capture_output=True, text=True).stdout)
    start = time.perf_counter()
    ref = subprocess.run(["/usr/bin/python3", reference, args.model, corpus, "--max-docs", "20", "--json"],
                         check=True, capture_output=True, text=True)
    ref_seconds = time.perf_counter() - start
    ref_tokens = json.loads(ref.stdout.strip().splitlines()[-1])["tokens"]
    ref_rate = ref_tokens / ref_seconds
    peak = r["sgemm_gflops_2t"]
    flops = r["flops_per_token"]
    print(f"model {Path(args.model).name}, {r['windows']} windows of {r['context']} tokens of corpus/dev/en.txt; "
          f"{flops / 1e6:.1f} MFLOP per token (mean context {r['context'] // 2}); OpenBLAS sgemm 2048³, "
          f"2 threads: {peak:.1f} GFLOP/s; model load {r['load_seconds']:.2f} s\n")
    print("| run | tokens/s | GFLOP/s | share of sgemm peak (2 threads) | vs NumPy reference |")
    print("|---|---:|---:|---:|---:|")
    for key, label in (("score_tokens_per_s_1t", "score, 1 thread"), ("score_tokens_per_s_2t", "score, 2 threads"),
                       ("generate_tokens_per_s_1t", "generate (KV cache), 1 thread"),
                       ("generate_tokens_per_s_2t", "generate (KV cache), 2 threads")):
        rate = r[key]
        gflops = rate * flops / 1e9
        print(f"| {label} | {rate:.0f} | {gflops:.1f} | {100 * gflops / peak:.0f}% | "
              f"{rate / ref_rate:.1f}× |")
    print(f"| NumPy reference, scoring (its tokenizer call and load included) | {ref_rate:.0f} | | | 1.0× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
