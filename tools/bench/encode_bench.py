#!/usr/bin/env python3
"""Single-thread encode benchmark: tokgraft against the reference (HF tokenizers through
shared/oracle/hf), printed as markdown tables ready for the README.

Sections:
  1. throughput per corpus category and overall (all of $TOKGRAFT_DATA/corpus/dev):
     `RAYON_NUM_THREADS=1 hf bench -t X CAT.txt` and `tokgraft encode -t X --bench CAT.txt`,
     run alternately in the same loop, N repetitions, medians; MB = 1e6 bytes, encode time
     only. "overall" = all bytes / sum of the per-category median seconds.
  2. load time of each tokenizer file (median over all runs of section 1), both sides.
  3. long pieces (gemma3 and llama2 by default): one document of 1 MiB of "a", of 1 MiB
     of random ASCII letters (mixed case, and lower case only: o200k's pattern splits at
     each change from lower to upper case, so for gpt4o only the second is one piece),
     and of one CJK character repeated to 1 MiB. Reported as
     per-byte time relative to the same side's ordinary text (section 1 overall); the
     requirement for tokgraft is <= 3x.
  4. batch: `tokgraft encode -t X --jsonl --threads 1|2` on the whole dev set (one JSONL
     line per document, output to /dev/null), wall-clock throughput (load included) and
     peak RSS from `/usr/bin/time -f %M`; the oracle's `hf encode --jsonl` (sequential)
     alongside. /usr/bin/time comes from Debian's `time` package (apt-get install time);
     without it the RSS column is left empty.

The machine has 2 cores shared with others: the benchmark takes an exclusive flock on
/tmp/tokgraft-build.lock for its whole run, so builds that take the same lock wait and
vice versa (pass --no-lock if you already run it under `flock /tmp/tokgraft-build.lock`).
The exact command line is printed first, so output can be pasted into the README.

  tools/bench/encode_bench.py                           # llama3 gpt4o qwen3 gemma3 llama2, 3 reps
  tools/bench/encode_bench.py --all --reps 5 --out bench.md
  tools/bench/encode_bench.py --tokenizers gemma3 --categories en,ja --reps 1 --no-long
"""

import argparse
import fcntl
import json
import os
import platform
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
import refs  # noqa: E402

DEFAULT_TOKENIZERS = ["llama3", "gpt4o", "qwen3", "gemma3", "llama2"]
LONG_TOKENIZERS = ["gemma3", "llama2"]
LONG_BYTES = 1 << 20
LONG_PIECE_LIMIT = 3.0  # requirement: per-byte time on long pieces <= 3x ordinary text
LOCK = "/tmp/tokgraft-build.lock"
TIME = "/usr/bin/time"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- running

def bench_env():
    # RAYON_NUM_THREADS=1: single-thread figures for the HF side (a single encode does
    # not use rayon anyway); harmless for tokgraft.
    return dict(os.environ, RAYON_NUM_THREADS="1")


def run_bench(cmd):
    """Run a bench command; return its JSON line ({"bytes","tokens","seconds",...})."""
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=bench_env())
    if r.returncode != 0:
        raise refs.ToolError(f"{shlex.join(map(str, cmd))} exited with {r.returncode}:\n"
                             + r.stderr.strip()[-800:])
    lines = [l for l in r.stdout.splitlines() if l.strip()]
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        raise refs.ToolError(f"{shlex.join(map(str, cmd))} printed no JSON result: {r.stdout[-300:]!r}")


def ref_bench_cmd(hf, tok, files):
    return [hf, "bench", "-t", tok, *files]


def ours_bench_cmd(tokgraft, tok, files):
    return [tokgraft, "encode", "-t", tok, "--bench", *files]


def alternate(pair, rep):
    """Both sides of one measurement, the order swapped every repetition so neither side
    always runs on a cache warmed (or a machine disturbed) by the other."""
    return pair if rep % 2 == 0 else pair[::-1]


def timed_rss(cmd, stdin_path=None):
    """Run cmd with output to /dev/null; return (wall seconds, peak RSS in KiB or None)."""
    have_time = os.access(TIME, os.X_OK)
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        full = ([TIME, "-f", "%M", "-o", rss.name] if have_time else []) + [str(c) for c in cmd]
        t0 = time.monotonic()
        r = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=bench_env())
        wall = time.monotonic() - t0
        if r.returncode != 0:
            raise refs.ToolError(f"{shlex.join(map(str, cmd))} exited with {r.returncode}: "
                                 + r.stderr.decode(errors="replace")[-800:])
        kib = None
        if have_time:
            vals = [l for l in rss.read().split() if l.isdigit()]
            kib = int(vals[-1]) if vals else None
    return wall, kib


# ---------------------------------------------------------------------------- sections

def throughput(args, hf, toks, cats, dev):
    """results[tok][cat] = {"ref": [runs], "ours": [runs]}"""
    res = {t: {c: {"ref": [], "ours": []} for c in cats} for t in toks}
    total = args.reps * len(toks) * len(cats)
    n = 0
    for rep in range(args.reps):
        for t in toks:
            tok = tokenizer_path(t)
            for c in cats:
                n += 1
                f = dev / f"{c}.txt"
                sides = alternate([("ref", ref_bench_cmd(hf, tok, [f])),
                                   ("ours", ours_bench_cmd(args.tokgraft, tok, [f]))], rep)
                for side, cmd in sides:
                    res[t][c][side].append(run_bench(cmd))
                r, o = res[t][c]["ref"][-1], res[t][c]["ours"][-1]
                log(f"[{n}/{total}] rep {rep + 1} {t} {c}: ours {o['mb_per_s']} MB/s, ref {r['mb_per_s']} MB/s")
                check_same_work(f"{t} {c}", r, o)
    return res


WARNINGS = []


def check_same_work(what, ref, ours):
    """Both sides must have encoded the same documents into as many tokens; otherwise the
    MB/s figures compare different work (and tokgraft disagrees with the reference)."""
    for k in ("bytes", "docs", "tokens"):
        if k in ours and ref.get(k) != ours.get(k):
            msg = f"{what}: {k} differ: ours {ours.get(k)}, reference {ref.get(k)}"
            if msg not in WARNINGS:
                WARNINGS.append(msg)
                log("WARNING: " + msg)


def median_seconds(runs):
    return statistics.median(r["seconds"] for r in runs)


def summarize(res, toks, cats):
    """Per tokenizer: overall MB/s and seconds per byte for both sides, median loads."""
    out = {}
    for t in toks:
        s = {}
        for side in ("ref", "ours"):
            b = sum(res[t][c][side][0]["bytes"] for c in cats)
            sec = sum(median_seconds(res[t][c][side]) for c in cats)
            loads = [r["load_seconds"] for c in cats for r in res[t][c][side]]
            s[side] = {"bytes": b, "seconds": sec, "mb_per_s": b / 1e6 / sec if sec else float("inf"),
                       "s_per_byte": sec / b, "load": statistics.median(loads)}
        out[t] = s
    return out


def long_pieces(args, hf, toks, workdir):
    """results[tok][name] = {"ref": [runs], "ours": [runs], "bytes": n}"""
    rng = random.Random(12345)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    texts = {
        "1 MiB of `a`": "a" * LONG_BYTES,
        "1 MiB random ASCII letters": "".join(rng.choice(letters) for _ in range(LONG_BYTES)),
        "1 MiB random lower-case letters": "".join(rng.choice(letters[:26]) for _ in range(LONG_BYTES)),
        "1 MiB of `字`": "\u5b57" * (LONG_BYTES // 3),
    }
    files = {}
    for i, (name, text) in enumerate(texts.items()):
        p = workdir / f"long{i}.txt"
        p.write_text(text, encoding="utf-8")  # one document: no \x1e separator line
        files[name] = p
    res = {t: {n: {"ref": [], "ours": []} for n in texts} for t in toks}
    for rep in range(args.reps):
        for t in toks:
            tok = tokenizer_path(t)
            for name, p in files.items():
                sides = alternate([("ref", ref_bench_cmd(hf, tok, [p])),
                                   ("ours", ours_bench_cmd(args.tokgraft, tok, [p]))], rep)
                for side, cmd in sides:
                    res[t][name][side].append(run_bench(cmd))
                check_same_work(f"{t} {name}", res[t][name]["ref"][-1], res[t][name]["ours"][-1])
                log(f"long rep {rep + 1} {t} {name}: ours {res[t][name]['ours'][-1]['mb_per_s']} MB/s, "
                    f"ref {res[t][name]['ref'][-1]['mb_per_s']} MB/s")
    return res


def batch(args, hf, toks, dev_jsonl, dev_bytes):
    """results[tok][label] = [(wall, rss_kib)]"""
    res = {t: {} for t in toks}
    for rep in range(args.reps):
        for t in toks:
            tok = tokenizer_path(t)
            runs = [("tokgraft --threads 1", [args.tokgraft, "encode", "-t", tok, "--jsonl", "--threads", "1", dev_jsonl]),
                    ("tokgraft --threads 2", [args.tokgraft, "encode", "-t", tok, "--jsonl", "--threads", "2", dev_jsonl]),
                    ("hf encode --jsonl", [hf, "encode", "-t", tok, "--jsonl", dev_jsonl])]
            for label, cmd in alternate(runs, rep):
                wall, kib = timed_rss(cmd)
                res[t].setdefault(label, []).append((wall, kib))
                log(f"batch rep {rep + 1} {t} {label}: {dev_bytes / 1e6 / wall:.2f} MB/s wall, "
                    f"{kib if kib is not None else '?'} KiB")
    return res


# ---------------------------------------------------------------------------- output

def fmt_ratio(x):
    return f"{x:.1f}×" if x < 100 else f"{x:.0f}×"


def report(args, cmdline, toks, cats, res, summ, long_res, batch_res, dev_bytes, out):
    w = out.write
    w(f"```\n$ {cmdline}\n```\n\n")
    w(f"{machine_line()}; {args.reps} repetitions, medians; MB = 10^6 bytes; encode time only "
      f"(load excluded) unless said otherwise.\n\n")

    scope = (f"all {len(cats)} categories of corpus/dev" if len(cats) == len(refs.dev_categories())
             else f"corpus/dev categories {', '.join(cats)}")
    w(f"### Throughput, single thread ({scope})\n\n")
    w("| tokenizer | ours MB/s | reference MB/s | ratio | load ours (s) | load reference (s) | load ratio |\n")
    w("|---|---:|---:|---:|---:|---:|---:|\n")
    for t in toks:
        o, r = summ[t]["ours"], summ[t]["ref"]
        w(f"| {t} | {o['mb_per_s']:.2f} | {r['mb_per_s']:.2f} | {fmt_ratio(o['mb_per_s'] / r['mb_per_s'])} "
          f"| {o['load']:.3f} | {r['load']:.3f} | {fmt_ratio(r['load'] / o['load']) if o['load'] > 0 else '-'} |\n")
    w("\n")

    w("### Per category (MB/s, single thread)\n\n")
    w("| category | MB | " + " | ".join(f"{t} ours | {t} ref | {t} ratio" for t in toks) + " |\n")
    w("|---|---:|" + "---:|" * (3 * len(toks)) + "\n")
    for c in cats:
        b = res[toks[0]][c]["ref"][0]["bytes"]
        cells = []
        for t in toks:
            rr, oo = (b / 1e6 / median_seconds(res[t][c][s]) for s in ("ref", "ours"))
            cells.append(f"{oo:.2f} | {rr:.2f} | {fmt_ratio(oo / rr)}")
        w(f"| {c} | {b / 1e6:.2f} | " + " | ".join(cells) + " |\n")
    w("\n")

    if long_res:
        w("### Long pieces (single document each)\n\n")
        w(f"Per-byte encode time relative to the same side's ordinary text (overall figure above); "
          f"requirement for tokgraft: ≤ {LONG_PIECE_LIMIT:g}×.\n\n")
        w("| tokenizer | text | ours MB/s | reference MB/s | ratio | ours per-byte vs ordinary | reference per-byte vs ordinary | ok |\n")
        w("|---|---|---:|---:|---:|---:|---:|---|\n")
        for t, per in long_res.items():
            for name, sides in per.items():
                b = sides["ours"][0]["bytes"]
                o_sec, r_sec = median_seconds(sides["ours"]), median_seconds(sides["ref"])
                o_rel = (o_sec / b) / summ[t]["ours"]["s_per_byte"] if t in summ else float("nan")
                r_rel = (r_sec / b) / summ[t]["ref"]["s_per_byte"] if t in summ else float("nan")
                ok = "yes" if o_rel <= LONG_PIECE_LIMIT else "**NO**"
                w(f"| {t} | {name} | {b / 1e6 / o_sec:.2f} | {b / 1e6 / r_sec:.2f} | "
                  f"{fmt_ratio(r_sec / o_sec)} | {o_rel:.2f}× | {r_rel:.2f}× | {ok} |\n")
        w("\n")

    if batch_res:
        w(f"### Batch encode of the whole dev set ({dev_bytes / 1e6:.2f} MB, one JSONL line per document, output to /dev/null)\n\n")
        w("Wall clock including process start and tokenizer load; peak RSS from `/usr/bin/time -f %M`.\n\n")
        w("| tokenizer | command | MB/s (wall) | seconds | peak RSS (MiB) |\n|---|---|---:|---:|---:|\n")
        for t, per in batch_res.items():
            for label, runs in per.items():
                wall = statistics.median(r[0] for r in runs)
                rss = [r[1] for r in runs if r[1] is not None]
                rss_s = f"{max(rss) / 1024:.0f}" if rss else "-"
                w(f"| {t} | `{label}` | {dev_bytes / 1e6 / wall:.2f} | {wall:.2f} | {rss_s} |\n")
        w("\n")

    if WARNINGS:
        w("Warnings (the two sides did different work):\n\n" + "".join(f"- {m}\n" for m in WARNINGS) + "\n")


def machine_line():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.node()}: {cpu or platform.machine()}, {os.cpu_count()} CPUs, "
            f"load average {load:.2f} at start, {time.strftime('%Y-%m-%d %H:%M %Z')}")


# ---------------------------------------------------------------------------- main

def tokenizer_path(name):
    return refs.data_dir() / "tokenizers" / f"{name}.json"


def take_lock(path):
    """Exclusive flock for the whole run (released when the process exits)."""
    f = open(path, "a")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log(f"encode_bench: waiting for {path} (a build or another benchmark holds it; if you "
            f"started this under `flock {path}` yourself, use --no-lock)")
        fcntl.flock(f, fcntl.LOCK_EX)
    return f


def write_dev_jsonl(path):
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for _, text in refs.dev_documents():
            f.write(json.dumps(text, ensure_ascii=False) + "\n")
            n += len(text.encode("utf-8"))
    return n


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=str(refs.REPO / "build" / "tokgraft"), help="default: build/tokgraft")
    ap.add_argument("--hf", help="the oracle's hf wrapper (default: $TOKGRAFT_HF or shared/oracle/hf)")
    ap.add_argument("--tokenizers", default=",".join(DEFAULT_TOKENIZERS),
                    help=f"comma-separated (default {','.join(DEFAULT_TOKENIZERS)})")
    ap.add_argument("--all", action="store_true", help="all ten tokenizer.json files")
    ap.add_argument("--categories", help="comma-separated corpus categories (default: all of corpus/dev)")
    ap.add_argument("--reps", type=int, default=3, help="repetitions per measurement (median; default 3)")
    ap.add_argument("--long-tokenizers", default=",".join(LONG_TOKENIZERS),
                    help=f"tokenizers for the long-piece section (default {','.join(LONG_TOKENIZERS)}); "
                         "each must be among --tokenizers")
    ap.add_argument("--no-long", action="store_true", help="skip the long-piece section")
    ap.add_argument("--no-batch", action="store_true", help="skip the batch/RSS section")
    ap.add_argument("--no-lock", action="store_true", help=f"do not take {LOCK}")
    ap.add_argument("--out", help="also write the markdown report to this file")
    ap.add_argument("--json", help="write all raw measurements as JSON to this file")
    args = ap.parse_args(argv)

    missing = refs.data_missing()
    if missing:
        print(f"SKIPPED: the benchmark needs the shared data: {missing}")
        return 0
    hf = refs.find_hf(args.hf)
    if hf is None:
        log("encode_bench: the oracle shared/oracle/hf was not found (use --hf or $TOKGRAFT_HF)")
        return 2
    if not (Path(args.tokgraft).is_file() and os.access(args.tokgraft, os.X_OK)):
        log(f"encode_bench: no tokgraft binary at {args.tokgraft} (build it, or pass --tokgraft)")
        return 2
    toks = refs.JSON_TOKENIZERS if args.all else [t for t in args.tokenizers.split(",") if t]
    bad = [t for t in toks if not tokenizer_path(t).is_file()]
    if bad:
        log(f"encode_bench: unknown tokenizer(s) {', '.join(bad)} (have {', '.join(refs.JSON_TOKENIZERS)})")
        return 2
    dev = refs.data_dir() / "corpus" / "dev"
    cats = args.categories.split(",") if args.categories else refs.dev_categories()
    if any(not (dev / f"{c}.txt").is_file() for c in cats):
        log(f"encode_bench: unknown category in {cats}; have {', '.join(refs.dev_categories())}")
        return 2
    long_toks = [] if args.no_long else [t for t in args.long_tokenizers.split(",") if t in toks]
    if not os.access(TIME, os.X_OK) and not args.no_batch:
        log(f"encode_bench: {TIME} missing (apt-get install time): no peak RSS figures")

    cmdline = shlex.join(["tools/bench/encode_bench.py"] + argv)
    lock = None if args.no_lock else take_lock(LOCK)
    t0 = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="encode-bench-") as tmp:
            tmp = Path(tmp)
            res = throughput(args, hf, toks, cats, dev)
            summ = summarize(res, toks, cats)
            long_res = long_pieces(args, hf, long_toks, tmp) if long_toks else None
            batch_res, dev_bytes = None, 0
            if not args.no_batch:
                dev_jsonl = tmp / "dev.jsonl"
                dev_bytes = write_dev_jsonl(dev_jsonl)
                batch_res = batch(args, hf, toks, dev_jsonl, dev_bytes)
    except refs.ToolError as e:
        log(f"encode_bench: {e}")
        return 1
    finally:
        if lock:
            lock.close()
    log(f"encode_bench: done in {time.monotonic() - t0:.0f} s")

    outs = [sys.stdout] + ([open(args.out, "w", encoding="utf-8")] if args.out else [])
    for out in outs:
        report(args, cmdline, toks, cats, res, summ, long_res, batch_res, dev_bytes, out)
    if args.out:
        outs[-1].close()
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"command": cmdline, "throughput": res, "summary": summ, "long": long_res,
             "batch": batch_res, "dev_bytes": dev_bytes}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
