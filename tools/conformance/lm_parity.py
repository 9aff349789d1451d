#!/usr/bin/env python3
"""LM parity: `tokgraft eval` against the independent NumPy reference
(shared/reference/lm_eval.py, run with Debian's /usr/bin/python3).

For every model (the shared tiny checkpoints model-tiny-{a,b,c}, and the trained
shared/models/model-{a,b} where present) and every corpus/dev category, both score
the first --max-docs documents cut to --max-chars characters, in windows of --ctx
tokens, and must agree: every per-token log-probability within 1e-3 (absolute),
bits per byte of every file within 0.1% (relative).

Prints SKIPPED: (and exits 0) without the shared data or numpy.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import refs  # noqa: E402

LOGPROB_TOLERANCE = 1e-3
BPB_TOLERANCE = 1e-3  # relative


def models():
    found = [refs.data_dir() / "models" / f"model-tiny-{x}" for x in "abc"]
    shared = refs.REPO.parent / "shared" / "models"
    if not shared.is_dir():
        shared = Path("/work/shared/models")
    found += [shared / f"model-{x}" for x in "ab" if (shared / f"model-{x}" / "config.json").is_file()]
    return [m for m in found if (m / "config.json").is_file()]


def dump_of(path):
    return {(Path(d["file"]).name, d["doc"]): d for d in map(json.loads, Path(path).read_text().splitlines())}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=str(refs.REPO / "build" / "tokgraft"))
    ap.add_argument("--max-docs", type=int, default=3)
    ap.add_argument("--max-chars", type=int, default=1500)
    ap.add_argument("--ctx", type=int, default=512)
    args = ap.parse_args()
    missing = refs.data_missing()
    reference = refs.REPO.parent / "shared" / "reference" / "lm_eval.py"
    if not reference.is_file():
        reference = Path("/work/shared/reference/lm_eval.py")
    if missing or not reference.is_file() or not models():
        print(f"SKIPPED: {missing or 'the NumPy reference or the models are missing'}")
        return 0
    if subprocess.run(["/usr/bin/python3", "-c", "import numpy"], capture_output=True).returncode != 0:
        print("SKIPPED: Debian's python3-numpy is not installed (the reference needs it)")
        return 0
    files = sorted((refs.data_dir() / "corpus" / "dev").glob("*.txt"))
    common = ["--max-docs", str(args.max_docs), "--max-chars", str(args.max_chars), "--ctx", str(args.ctx)]
    ok = True
    with tempfile.TemporaryDirectory(prefix="tokgraft-lm-parity-") as tmp:
        for model in models():
            ref_dump, our_dump = Path(tmp) / "ref.jsonl", Path(tmp) / "ours.jsonl"
            ref = subprocess.run(["/usr/bin/python3", reference, model, *files, *common, "--json", "--dump", ref_dump],
                                 capture_output=True, text=True)
            ours = subprocess.run([args.tokgraft, "eval", model, *files, *common, "--json", "--quiet", "--dump",
                                   our_dump], capture_output=True, text=True)
            if ref.returncode or ours.returncode:
                print(f"{model.name}: FAIL\n  reference: {ref.stderr[-500:]}\n  tokgraft: {ours.stderr[-500:]}")
                ok = False
                continue
            ref_files = json.loads(ref.stdout.strip().splitlines()[-1])["files"]
            our_files = {Path(k).name: v for k, v in json.loads(ours.stdout.strip().splitlines()[-1])["files"].items()}
            worst_bpb = max(abs(our_files[f]["bpb"] - r["bpb"]) / r["bpb"] for f, r in ref_files.items())
            ref_docs, our_docs = dump_of(ref_dump), dump_of(our_dump)
            worst_lp, token_mismatch = 0.0, 0
            for key, r in ref_docs.items():
                o = our_docs.get(key)
                if o is None or o["tokens"] != r["tokens"]:
                    token_mismatch += 1
                    continue
                worst_lp = max([worst_lp] + [abs(a - b) for a, b in zip(r["logprobs"], o["logprobs"])])
            good = worst_bpb <= BPB_TOLERANCE and worst_lp <= LOGPROB_TOLERANCE and not token_mismatch
            ok = ok and good
            print(f"{model.name:14s} {'ok' if good else 'FAIL':4s} {len(ref_files)} categories, {len(ref_docs)} docs: "
                  f"max |logprob diff| {worst_lp:.2e}, max bpb rel. diff {worst_bpb:.2e}"
                  + (f", {token_mismatch} documents tokenized differently" if token_mismatch else ""))
    print("lm parity:", "all within tolerance" if ok else "MISMATCHES")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
