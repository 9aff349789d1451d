#!/usr/bin/python3
"""Measurements of tokgraft bytes (README, "Byte-level probabilities").

  fim       prompts cut mid-document (corpus/test python and c): the next 32 bytes
            by naive token continuation, token healing and exact byte-level
            generation; exact-match rates and the byte-level log-likelihood of the
            true next 16 bytes.
  ensemble  model-a + model-b at byte level (mix and product) on corpus/dev.
  speed     byte-level vs token-level scoring and generation time, and peak memory
            on a 1 MiB prompt.
Each run of the model holds /tmp/tokgraft-build.lock (the machine is shared).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("TOKGRAFT_DATA", Path.home() / ".cache/tokgraft-data"))
LOCK = "/tmp/tokgraft-build.lock"


def run(args, **kw):
    return subprocess.run(["flock", LOCK] + [str(a) for a in args], check=True, capture_output=True, **kw)


def docs_of(path):
    text = Path(path).read_bytes().decode("utf-8")
    docs, cur = [], []
    for line in text.split("\n"):
        if line == "\x1e":
            if cur:
                docs.append("\n".join(cur))
            cur = []
        else:
            cur.append(line)
    if "".join(cur).strip("\n"):
        docs.append("\n".join(cur))
    return [d.encode("utf-8") for d in docs if d]


def prompt_before(doc, cut, max_bytes):
    start = max(0, cut - max_bytes)
    nl = doc.find(b"\n", start, cut)
    if start > 0 and nl >= 0:
        start = nl + 1
    while start < cut and (doc[start] & 0xC0) == 0x80:
        start += 1
    return doc[start:cut]


def fim(a):
    print(f"$ {' '.join(sys.argv)}\n")
    print(f"model {a.model}; {a.cuts} cuts per category (seed {a.seed}), prompt = up to {a.prompt_bytes} bytes "
          f"before the cut (from a line start), greedy, --prune {a.prune}\n")
    print("| category | method | exact 8 | exact 16 | exact 32 | mean log-lik. next 16 bytes (nats) |")
    print("|---|---|---:|---:|---:|---:|")
    tool = a.tokgraft
    for cat in a.categories.split(","):
        docs = [d for d in docs_of(DATA / "corpus/test" / f"{cat}.txt") if len(d) > 64]
        rng = random.Random(a.seed)
        hits = {m: [0, 0, 0] for m in ("naive", "heal", "byte")}
        lls = []
        with tempfile.TemporaryDirectory() as tmp:
            pf, tf = Path(tmp) / "prompt", Path(tmp) / "prompt16"
            for _ in range(a.cuts):
                doc = rng.choice(docs)
                cut = rng.randrange(1, len(doc) - 32)
                prompt, truth = prompt_before(doc, cut, a.prompt_bytes), doc[cut:cut + 32]
                pf.write_bytes(prompt)
                for m in hits:
                    out = run([tool, "bytes", "complete", a.model, "--prompt-file", pf, "--method", m,
                               "--max-bytes", 32, "--prune", a.prune, "--threads", 1]).stdout
                    for i, k in enumerate((8, 16, 32)):
                        hits[m][i] += out[:k] == truth[:k]
                tf.write_bytes(prompt + truth[:16])
                lq = [json.loads(run([tool, "bytes", "next", a.model, "--prompt-file", f, "--prune", a.prune,
                                      "--threads", 1]).stdout)["logprob"] for f in (pf, tf)]
                lls.append(lq[1] - lq[0])
        for m, h in hits.items():
            ll = f"{statistics.mean(lls):.2f}" if m == "byte" else "n/a"
            print(f"| {cat} | {m} | {h[0] / a.cuts:.1%} | {h[1] / a.cuts:.1%} | {h[2] / a.cuts:.1%} | {ll} |")


def first_chars(doc, n):
    return doc.decode("utf-8")[:n].encode("utf-8")


def ensemble(a):
    print(f"$ {' '.join(sys.argv)}\n")
    print(f"corpus/dev, first {a.docs} documents of each category, first {a.chars} characters; weight 0.5; "
          f"--prune {a.prune}; each document scored by its own process (mix and product from one pass)\n")
    print("| category | bytes | model-a | model-b | mix | product | best member | mix vs best | product vs best |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for cat in a.categories.split(","):
        bits = {"a": 0.0, "b": 0.0, "mix": 0.0, "product": 0.0}
        nbytes = 0
        with tempfile.TemporaryDirectory() as tmp:
            for i, doc in enumerate(docs_of(DATA / "corpus/dev" / f"{cat}.txt")[:a.docs]):
                f = Path(tmp) / f"{cat}-{i}.txt"
                f.write_bytes(first_chars(doc, a.chars))
                out = run([a.tokgraft, "bytes", "score", a.model, "--ensemble", a.model2, "--mode", "mix",
                           "--weight", 0.5, "--json", "--quiet", "--prune", a.prune, f]).stdout.decode()
                s = json.loads(out.strip().splitlines()[-1])
                nbytes += s["bytes"]
                for k, field in (("a", "bpb_a"), ("b", "bpb_b"), ("mix", "bpb"), ("product", "bpb_other_mode")):
                    bits[k] += s[field] * s["bytes"]
        bpb = {k: v / nbytes for k, v in bits.items()}
        best = min(bpb["a"], bpb["b"])
        print(f"| {cat} | {nbytes} | {bpb['a']:.4f} | {bpb['b']:.4f} | {bpb['mix']:.4f} | {bpb['product']:.4f} | "
              f"{best:.4f} | {(bpb['mix'] - best) / best:+.1%} | {(bpb['product'] - best) / best:+.1%} |")


def timed(args):
    """Runs args under the lock; the wall-clock seconds of the run itself (not the wait for the lock)."""
    out = run(["/usr/bin/time", "-f", "TIME %e %M"] + list(args))
    fields = out.stderr.decode().strip().splitlines()[-1].split()
    timed.peak_kib = int(fields[2])
    return float(fields[1]), out


def speed(a):
    print(f"$ {' '.join(sys.argv)}\n")
    files = [DATA / "corpus/dev" / f"{c}.txt" for c in a.categories.split(",")]
    common = ["--max-docs", a.docs, "--max-chars", a.chars, "--quiet"]
    print(f"model {a.model}, corpus/dev {a.categories}, first {a.docs} documents, {a.chars} characters; "
          f"wall clock of each run incl. model load (not the wait for the lock), median of {a.reps}\n")
    print("| run | seconds | × token-level | bpb | LM positions per byte |")
    print("|---|---:|---:|---:|---:|")
    tok = [timed([a.tokgraft, "eval", a.model, "--json"] + common + files) for _ in range(a.reps)]
    t_tok = statistics.median(t for t, _ in tok)
    summary = json.loads(tok[0][1].stdout.decode().strip().splitlines()[-1])
    print(f"| token-level (tokgraft eval) | {t_tok:.2f} | 1.0× | {summary['bpb']:.4f} | "
          f"{summary['tokens'] / summary['bytes']:.3f} |")
    for prune in a.prunes.split(","):
        runs = [timed([a.tokgraft, "bytes", "score", a.model, "--json", "--prune", prune] + common + files)
                for _ in range(a.reps)]
        t = statistics.median(t for t, _ in runs)
        s = json.loads(runs[0][1].stdout.decode().strip().splitlines()[-1])
        print(f"| byte-level, --prune {prune} | {t:.2f} | {t / t_tok:.1f}× | {s['bpb']:.4f} | "
              f"{s['lm_positions'] / s['bytes']:.3f} |")
    # Generation: 256 bytes after a prompt, greedy, one thread.
    doc = docs_of(files[0])[0]
    with tempfile.TemporaryDirectory() as tmp:
        pf = Path(tmp) / "prompt"
        pf.write_bytes(prompt_before(doc, min(len(doc), 600), 400))
        print("\n| generation (greedy, 1 thread; bytes and time of --max-bytes 576 minus those of 64: load and prompt cancel) "
              "| bytes/s (median) | vs naive token-level |")
        print("|---|---:|---:|")
        base = None
        for m in ("naive", "heal", "byte"):
            rates = []
            for _ in range(a.reps):
                t, got = {}, {}
                for n in (64, 576):
                    t[n], out = timed([a.tokgraft, "bytes", "complete", a.model, "--prompt-file", pf, "--method", m,
                                       "--max-bytes", n, "--threads", 1, "--prune", a.gen_prune])
                    got[n] = len(out.stdout)  # fewer if the model ended the text
                rates.append((got[576] - got[64]) / max(t[576] - t[64], 1e-3))
            r = statistics.median(rates)
            base = base or r
            print(f"| {m} (--prune {a.gen_prune}) | {r:.0f} | {r / base:.2f}× |")
        # Memory: a 1 MiB prompt (dev documents joined), next-byte distribution.
        big = b"\n".join(d for f in files for d in docs_of(f))
        while len(big) < 1 << 20:
            big += big
        pf.write_bytes(big[:1 << 20])
        t, out = timed([a.tokgraft, "bytes", "next", a.model, "--prompt-file", pf, "--top", 1, "--prune", a.gen_prune])
        print(f"\n1 MiB prompt, `bytes next` (--ctx 512): {t:.1f} s, peak RSS {timed.peak_kib / 1024:.0f} MiB")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["fim", "ensemble", "speed"])
    p.add_argument("--tokgraft", default=REPO / "build/tokgraft")
    p.add_argument("--model", default="/work/shared/models/model-a")
    p.add_argument("--model2", default="/work/shared/models/model-b")
    p.add_argument("--categories")
    p.add_argument("--cuts", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--prompt-bytes", type=int, default=512)
    p.add_argument("--docs", type=int, default=10)
    p.add_argument("--chars", type=int, default=4000)
    p.add_argument("--prune", default="0")
    p.add_argument("--prunes", default="0,0.01")
    p.add_argument("--gen-prune", default="0.01")
    p.add_argument("--reps", type=int, default=3)
    a = p.parse_args()
    if a.categories is None:
        a.categories = {"fim": "python,c", "ensemble": "en,de,python", "speed": "en,python"}[a.what]
    {"fim": fim, "ensemble": ensemble, "speed": speed}[a.what](a)


if __name__ == "__main__":
    main()
