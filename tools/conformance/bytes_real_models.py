#!/usr/bin/python3
"""Byte-level vs token-level bits per byte of the trained checkpoints.

For model-a and model-b and the dev categories en, de, python (first document,
first 1000 characters), `tokgraft bytes score` (exact byte-level chain rule,
--prune 0.01) must be within --tolerance (relative) of the token-level bits per
byte of the same documents. The byte-level figure is lower by the mass each
model puts on non-canonical token sequences, which the byte-level distribution
renormalizes away. Prints SKIPPED: without the models or the shared data.
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tokgraft", required=True)
    p.add_argument("--tolerance", type=float, default=0.02)
    a = p.parse_args()
    data = Path(os.environ.get("TOKGRAFT_DATA", Path.home() / ".cache/tokgraft-data"))
    models = Path(__file__).resolve().parents[3] / "shared" / "models"
    if not models.is_dir():
        models = Path("/work/shared/models")
    found = [models / f"model-{x}" for x in "ab" if (models / f"model-{x}" / "config.json").is_file()]
    files = [data / "corpus/dev" / f"{c}.txt" for c in ("en", "de", "python")]
    if not found or not all(f.is_file() for f in files):
        print("SKIPPED: needs ../shared/models/model-{a,b} and $TOKGRAFT_DATA/corpus/dev")
        return 0
    failed = False
    for model in found:
        out = subprocess.run([a.tokgraft, "bytes", "score", str(model), "--json", "--quiet", "--max-docs", "1",
                              "--max-chars", "1000", "--prune", "0.01"] + [str(f) for f in files],
                             check=True, capture_output=True, text=True).stdout
        summary = json.loads(out.strip().splitlines()[-1])
        for name, s in summary["files"].items():
            rel = (s["bpb"] - s["token_bpb"]) / s["token_bpb"]
            ok = abs(rel) <= a.tolerance
            failed |= not ok
            print(f"{model.name:8} {Path(name).stem:7} byte {s['bpb']:.4f}  token {s['token_bpb']:.4f}  "
                  f"rel {rel:+.3%}  {'ok' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
