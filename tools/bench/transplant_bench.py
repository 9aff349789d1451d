#!/usr/bin/python3
"""OMP for a vocabulary transplant: tokgraft against mergekit's batch_omp, side by side.

    tools/bench/transplant_bench.py [--mergekit CHECKOUT] [--case models|synthetic|both]
        [--sample 512] [--max-new N] [--threads 2] [--omp-candidates M,... [--omp-rescreen R,...]]

Case "models": base ../shared/models/model-a, donor model-b (real embeddings).
Case "synthetic": base $TOKGRAFT_DATA/tokenizers/llama3.json with random
embeddings of dimension 4096, donor qwen3.json with dimension 3584 (fixed
seeds), every donor token the base lacks (by canonical bytes).

For each case, build/transplant_bench aligns the vocabularies, runs tokgraft's
OMP (k=64) on a fixed sample of new tokens and times it on --max-new new
tokens (all by default) including the base rows' combination, then this
script runs mergekit's batch_omp (from a checkout of arcee-ai/mergekit, with
Debian's python3-torch on the same threads) on the same sample and compares:
the same atoms in the same order, and coefficients within 1e-4 relative.
Peak memory comes from /usr/bin/time. mergekit's code is imported from
CHECKOUT at run time and never copied into tokgraft; without --mergekit that
side is skipped.

With --omp-candidates, tokgraft's approximate (screened) atom search runs on
the same sample for each combination of candidates and rescreen interval and
is compared with exact OMP: the share of atoms both choose, the relative
difference of the residual norm, of the coefficients (as sparse vectors) and
the time; the first combination is then the one timed on --max-new tokens.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_batch_omp(checkout):
    """mergekit/tokensurgeon/omp.py as a module (its package __init__ pulls in transformers)."""
    folder = os.path.join(checkout, "mergekit", "tokensurgeon")
    package = importlib.util.module_from_spec(importlib.util.spec_from_loader("mk_tokensurgeon", loader=None))
    package.__path__ = [folder]
    sys.modules["mk_tokensurgeon"] = package
    for name in ("rope_helpers", "omp"):
        spec = importlib.util.spec_from_file_location(f"mk_tokensurgeon.{name}", os.path.join(folder, name + ".py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["mk_tokensurgeon.omp"].batch_omp


def peak_rss_mib(stderr):
    for line in stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.split()[-1]) / 1024
    return float("nan")


def run_case(name, command, args, batch_omp, torch):
    with tempfile.TemporaryDirectory(dir=args.work_dir) as out:
        cmd = ["/usr/bin/time", "-v", os.path.join(args.build, "transplant_bench"), *command, out,
               "--sample", str(args.sample), "--threads", str(args.threads), "--k", "64"]
        if args.max_new is not None:
            cmd += ["--max-new", str(args.max_new)]
        if args.omp_candidates:
            cmd += ["--omp-candidates", args.omp_candidates, "--omp-rescreen", args.omp_rescreen]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"{name}: transplant_bench failed:\n{proc.stderr}")
        lines = [json.loads(line) for line in proc.stdout.strip().splitlines()]
        ours = lines[-1]
        ours["peak_mib"] = peak_rss_mib(proc.stderr)
        screened = [dict(line, case=name) for line in lines[:-1] if line.get("screened")]
        timed = {"case": name, "shared": ours["shared"], "new": ours["new"], "timed_tokens": ours["timed_tokens"],
                 "tokgraft_timed_s": ours["timed_seconds"], "tokgraft_all_s": ours["projected_all_seconds"],
                 "atom_search": ours["timed_atom_search"], "tokgraft_peak_mib": ours["peak_mib"],
                 "tokgraft_sample_s": ours["sample_seconds"], "sample": ours["sample"]}
        if batch_omp is None:
            return timed, screened
        shared, dim, k = ours["shared"], ours["donor_dim"], ours["k"]
        atoms = np.fromfile(os.path.join(out, "atoms.f32"), dtype=np.float32).reshape(shared, dim)
        targets = np.fromfile(os.path.join(out, "sample_targets.f32"), dtype=np.float32).reshape(-1, dim)
        our_atoms = np.fromfile(os.path.join(out, "tokgraft_atoms.i32"), dtype=np.int32).reshape(-1, k)
        our_coef = np.fromfile(os.path.join(out, "tokgraft_coefficients.f64"), dtype=np.float64).reshape(-1, k)
        torch.set_num_threads(args.threads)
        points = torch.from_numpy(atoms)
        start = time.time()
        idx, coef = batch_omp(torch.from_numpy(targets), points, k)
        mk_seconds = time.time() - start
        idx, coef = idx.numpy(), coef.double().numpy()
        same_atoms = (idx == our_atoms).all(axis=1)
        # Coefficients compared as vectors: |c_tokgraft - c_mergekit| / |c_mergekit|;
        # both also against float64 least squares on the same atoms.
        rel = np.linalg.norm(coef - our_coef, axis=1) / np.maximum(np.linalg.norm(coef, axis=1), 1e-30)
        close = same_atoms & (rel <= 1e-4)
        exact = np.stack([np.linalg.lstsq(atoms[i].astype(np.float64).T, t.astype(np.float64), rcond=None)[0]
                          for i, t in zip(idx, targets)])
        exact_norm = np.maximum(np.linalg.norm(exact, axis=1), 1e-30)
        ours_vs_exact = (np.linalg.norm(our_coef - exact, axis=1) / exact_norm)[same_atoms]
        theirs_vs_exact = (np.linalg.norm(coef - exact, axis=1) / exact_norm)[same_atoms]
        sample = len(targets)
        return dict(timed, **{
            "case": name, "shared": shared, "new": ours["new"], "sample": sample,
            "tokgraft_sample_s": ours["sample_seconds"], "mergekit_sample_s": mk_seconds,
            "same_atoms": int(same_atoms.sum()), "coef_within_1e-4": int(close.sum()),
            "max_rel_coef_diff_same_atoms": float(rel[same_atoms].max()) if same_atoms.any() else float("nan"),
            "tokgraft_vs_float64_max": float(ours_vs_exact.max()) if same_atoms.any() else float("nan"),
            "mergekit_vs_float64_max": float(theirs_vs_exact.max()) if same_atoms.any() else float("nan"),
            "timed_tokens": ours["timed_tokens"], "tokgraft_timed_s": ours["timed_seconds"],
            "tokgraft_all_s": ours["projected_all_seconds"], "mergekit_all_s": mk_seconds / sample * ours["new"],
            "tokgraft_peak_mib": ours["peak_mib"],
        }), screened


def print_screened(screened, results):
    print("| case | candidates | rescreen every | sample | s (sample) | exact s (sample) | speed-up | atoms shared with "
          "exact | same atom sequence | residual norm vs exact: mean / max | coefficients vs exact: mean / max |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for s in screened:
        print(f"| {s['case']} | {s['candidates']} | {s['rescreen_every'] or 'never'} | {s['sample']} | "
              f"{s['sample_seconds']:.1f} | {s['exact_sample_seconds']:.1f} | "
              f"{s['exact_sample_seconds'] / s['sample_seconds']:.1f}x | {100 * s['same_atoms']:.1f}% | "
              f"{s['same_sequence']}/{s['sample']} | {s['residual_rel_diff_mean']:+.2e} / "
              f"{s['residual_rel_diff_max']:+.2e} | {s['coefficient_rel_diff_mean']:.2e} / "
              f"{s['coefficient_rel_diff_max']:.2e} |")
    print()
    print("| case | atom search | tokens timed | tokgraft s | tokgraft s, all new tokens | peak MiB |")
    print("|---|---|---|---|---|---|")
    for r in results:
        note = "" if r["timed_tokens"] == r["new"] else " (projected)"
        print(f"| {r['case']} | {r['atom_search']} | {r['timed_tokens']} | {r['tokgraft_timed_s']:.0f} | "
              f"{r['tokgraft_all_s']:.0f}{note} | {r['tokgraft_peak_mib']:.0f} |")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mergekit", help="a checkout of arcee-ai/mergekit (without: tokgraft alone)")
    ap.add_argument("--case", default="both", choices=["models", "synthetic", "both"])
    ap.add_argument("--sample", type=int, default=512)
    ap.add_argument("--max-new", type=int, default=None, help="time tokgraft on this many new tokens (default all)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--work-dir", default=None)
    ap.add_argument("--omp-candidates", default="", help="approximate atom search: pool sizes, comma-separated")
    ap.add_argument("--omp-rescreen", default="0", help="with --omp-candidates: rescreen intervals (0: never)")
    args = ap.parse_args()
    torch, batch_omp = None, None
    if args.mergekit:
        import torch
        batch_omp = load_batch_omp(args.mergekit)
    data = os.environ.get("TOKGRAFT_DATA", os.path.expanduser("~/.cache/tokgraft-data"))
    models = os.path.join(ROOT, "..", "shared", "models")
    cases = []
    if args.case in ("models", "both"):
        cases.append(("model-a -> model-b", ["models", os.path.join(models, "model-a"), os.path.join(models, "model-b")]))
    if args.case in ("synthetic", "both"):
        cases.append(("llama3 (4096) <- qwen3 (3584), random", [
            "synthetic", os.path.join(data, "tokenizers", "llama3.json"), os.path.join(data, "tokenizers", "qwen3.json")]))
    results, screened = [], []
    for name, command in cases:
        r, s = run_case(name, command, args, batch_omp, torch)
        print(json.dumps(r), file=sys.stderr, flush=True)
        results.append(r)
        screened += s
    if screened:
        print_screened(screened, results)
    if batch_omp is None:
        return
    print(f"| case | shared | new | sample | tokgraft s (sample) | mergekit s (sample) | ratio | same atoms | "
          f"coef within 1e-4 | coef error vs float64: tokgraft / mergekit | tokgraft s (all new) | "
          f"mergekit s (all new, projected) | tokgraft peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        timed = r["tokgraft_all_s"]
        note = "" if r["timed_tokens"] == r["new"] else f" (projected from {r['timed_tokens']})"
        print(f"| {r['case']} | {r['shared']} | {r['new']} | {r['sample']} | {r['tokgraft_sample_s']:.1f} | "
              f"{r['mergekit_sample_s']:.1f} | {r['mergekit_sample_s'] / r['tokgraft_sample_s']:.2f}x | "
              f"{r['same_atoms']}/{r['sample']} | {r['coef_within_1e-4']}/{r['sample']} | "
              f"{r['tokgraft_vs_float64_max']:.1e} / {r['mergekit_vs_float64_max']:.1e} | {timed:.0f}{note} | "
              f"{r['mergekit_all_s']:.0f} | {r['tokgraft_peak_mib']:.0f} |")


if __name__ == "__main__":
    main()
