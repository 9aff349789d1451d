#!/usr/bin/env python3
"""Regenerates the lm/ goldens: per-token log-probabilities of the shared tiny
checkpoints (model-tiny-a, model-tiny-b) from the independent NumPy reference
(shared/reference/lm_eval.py, run with Debian's /usr/bin/python3), on the lines of
data/demo.txt taken as documents, scored in windows of 16 tokens so that the
window protocol is exercised. Writes MODEL.jsonl: {"text", "tokens", "logprobs"}.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SHARED = REPO.parent / "shared"
DATA = Path(os.environ.get("TOKGRAFT_DATA") or Path.home() / ".cache" / "tokgraft-data")


def main():
    docs = [line for line in (REPO / "data" / "demo.txt").read_text(encoding="utf-8").splitlines() if line]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "demo-docs.txt"
        corpus.write_text("\n\x1e\n".join(docs) + "\n\x1e\n", encoding="utf-8")
        for name in ("model-tiny-a", "model-tiny-b"):
            dump = Path(tmp) / f"{name}.dump"
            subprocess.run(["/usr/bin/python3", SHARED / "reference" / "lm_eval.py", DATA / "models" / name, corpus,
                            "--ctx", "16", "--dump", dump], check=True, stdout=subprocess.DEVNULL)
            with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as out:
                for line in dump.read_text(encoding="utf-8").splitlines():
                    d = json.loads(line)
                    out.write(json.dumps({"text": docs[d["doc"]], "tokens": d["tokens"],
                                          "logprobs": [round(x, 6) for x in d["logprobs"]]},
                                         ensure_ascii=False) + "\n")
            print(f"wrote {HERE / (name + '.jsonl')}", file=sys.stderr)


if __name__ == "__main__":
    main()
