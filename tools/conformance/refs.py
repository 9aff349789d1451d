"""Shared helpers for conformance tools: where things are, which tokenizers exist, and how
to run the reference implementations.

References:
  hf        shared/oracle/hf (Hugging Face tokenizers, Node binding) for tokenizer.json
  tiktoken  OpenAI's tiktoken core (npm package `tiktoken`, Rust compiled to WASM) for
            .tiktoken files without a tokenizer.json (r50k_base, p50k_base); installed on
            first use into $TOKGRAFT_DATA/tiktoken-ref, like the oracle installs itself
  spm       Debian's spm_encode / spm_decode for sentencepiece .model files

Every reference reads JSONL (one JSON string per line) and writes one JSON array per
line: ids, or [id, start_byte, end_byte] triples with --offsets, in the oracle's
conventions. spm_encode reads raw lines instead, so spm texts never contain "\n".

Used by tools/conformance/sweep.py, tests/golden/make_golden.py and
tools/bench/encode_bench.py. Python standard library only.
"""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

TIKTOKEN_NPM = "tiktoken@1.0.22"  # the version the shared .tiktoken files came from
TIKTOKEN_MAX_ADV_BYTES = 16384

JSON_TOKENIZERS = ["llama3", "gpt4o", "gptoss", "gpt35turbo", "qwen3", "gemma3", "gemini",
                   "deepseek_v3", "claude", "llama2"]
TIKTOKEN_ENCODINGS = ["r50k_base", "p50k_base", "cl100k_base", "o200k_base"]
# The HF conversions of two tiktoken encodings (same ids, specials and split pattern).
TIKTOKEN_JSON_TWIN = {"cl100k_base": "gpt35turbo", "o200k_base": "gpt4o"}
SPM_MODELS = ["llama2", "albert30k", "smart50k"]


class ToolError(RuntimeError):
    """A tool (reference or tokgraft) failed; the message says which and why."""


def data_dir():
    return Path(os.environ.get("TOKGRAFT_DATA") or Path.home() / ".cache" / "tokgraft-data")


def data_missing():
    """None if the shared data is usable, else a sentence saying what is missing."""
    d = data_dir()
    for sub in ("tokenizers", "tiktoken", "spm", "corpus/dev"):
        if not (d / sub).is_dir():
            where = "$TOKGRAFT_DATA" if os.environ.get("TOKGRAFT_DATA") else "default TOKGRAFT_DATA"
            return f"{d / sub} not found ({where} = {d}); run shared/data/fetch"
    return None


def find_hf(explicit=None):
    """Path of the oracle's `hf` wrapper: --hf, $TOKGRAFT_HF, shared/ beside the repo
    (as in CI's clone), or /work/shared."""
    cands = [explicit, os.environ.get("TOKGRAFT_HF"), REPO.parent / "shared" / "oracle" / "hf",
             Path("/work/shared/oracle/hf")]
    for c in cands:
        if c and Path(c).is_file():
            return Path(c)
    return None


@dataclass
class Target:
    """One tokenizer as tokgraft loads it, and the reference that judges it."""
    name: str
    kind: str                 # json | tiktoken | spm
    path: Path                # what `tokgraft -t` gets
    ref: str                  # hf | tiktoken | spm
    ref_path: Path            # what the reference loads
    encode_args: list = field(default_factory=list)  # extra tokgraft encode arguments
    offsets: bool = True      # compare offsets (the spm reference has none)
    note: str = ""
    # Longest adversarial text the reference can take in reasonable time (None: any).
    max_adv_bytes: int = None

    def files(self):
        return [self.path, self.ref_path]


def all_targets():
    """Every tokenizer the conformance sweep covers, in a stable order."""
    d = data_dir()
    ts = []
    for n in JSON_TOKENIZERS:
        p = d / "tokenizers" / f"{n}.json"
        ts.append(Target(n, "json", p, "hf", p))
    for n in TIKTOKEN_ENCODINGS:
        p = d / "tiktoken" / f"{n}.tiktoken"
        if n in TIKTOKEN_JSON_TWIN:
            twin = TIKTOKEN_JSON_TWIN[n]
            ts.append(Target(n, "tiktoken", p, "hf", d / "tokenizers" / f"{twin}.json",
                             ["--pattern", n], note=f"reference: hf on {twin}.json"))
        else:
            # tiktoken's merge loop is quadratic in the piece length (64 KiB of "a":
            # 6 s, of CJK: 26 s; 1 MiB: hours), so its long adversarial runs are left out.
            ts.append(Target(n, "tiktoken", p, "tiktoken", p, ["--pattern", n],
                             note=f"reference: npm {TIKTOKEN_NPM} (WASM tiktoken); adversarial "
                                  f"texts over {TIKTOKEN_MAX_ADV_BYTES} bytes left out",
                             max_adv_bytes=TIKTOKEN_MAX_ADV_BYTES))
    for n in SPM_MODELS:
        p = d / "spm" / f"{n}.model"
        ts.append(Target(f"spm-{n}", "spm", p, "spm", p, offsets=False,
                         note="reference: spm_encode, one line per text, ids only"))
    demo = REPO / "data" / "demo-tokenizer.json"
    ts.append(Target("demo", "json", demo, "hf", demo))
    return ts


# ---------------------------------------------------------------------------- hashing

def sha256_file(path, _memo={}):
    """sha256 of a file's content (memoised per path, size and mtime: the big
    tokenizer files are hashed once per run)."""
    p = Path(path)
    st = p.stat()
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _memo:
        h = hashlib.sha256()
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        _memo[key] = h.hexdigest()
    return _memo[key]


def reference_version(ref, hf=None):
    """A string that changes when the reference implementation changes (part of
    cache keys)."""
    if ref == "hf":
        parts = [sha256_file(hf)]
        for side in ("hf.js", "package.json"):
            if (Path(hf).parent / side).is_file():
                parts.append(sha256_file(Path(hf).parent / side))
        return "hf:" + ",".join(parts)
    if ref == "tiktoken":
        return f"tiktoken:{TIKTOKEN_NPM}:{sha256_file(HERE / 'tiktoken_ref.js')}"
    if ref == "spm":
        r = subprocess.run(["spm_encode", "--version"], capture_output=True, text=True)
        return "spm:" + (r.stdout + r.stderr).strip()
    raise ValueError(ref)


# ---------------------------------------------------------------------------- running

def run(cmd, stdout_path=None, env=None, timeout=None, what=None, cwd=None):
    """Run cmd; stdout to stdout_path (or returned as bytes). Raises ToolError with the
    tail of stderr on failure."""
    what = what or Path(str(cmd[0])).name
    out = open(stdout_path, "wb") if stdout_path else subprocess.PIPE
    try:
        r = subprocess.run([str(c) for c in cmd], stdout=out, stderr=subprocess.PIPE,
                           env=env, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise ToolError(f"{what} timed out after {timeout} s: {' '.join(map(str, cmd))}")
    except FileNotFoundError:
        raise ToolError(f"{what}: command not found: {cmd[0]}")
    finally:
        if stdout_path:
            out.close()
    if r.returncode != 0:
        tail = r.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise ToolError(f"{what} exited with {r.returncode}: {' '.join(map(str, cmd))}\n    "
                        + "\n    ".join(tail))
    return None if stdout_path else r.stdout


def ensure_tiktoken_ref():
    """Install the npm `tiktoken` package once into $TOKGRAFT_DATA/tiktoken-ref (nothing
    is written into the repository); returns its node_modules path."""
    d = data_dir() / "tiktoken-ref"
    stamp = d / f".installed-{TIKTOKEN_NPM}"
    if stamp.is_file():
        return d / "node_modules"
    d.mkdir(parents=True, exist_ok=True)
    with open(d / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two sweeps starting at once install once
        if not stamp.is_file():
            print(f"refs: installing npm {TIKTOKEN_NPM} into {d} (first use)", file=sys.stderr)
            (d / "package.json").write_text('{"name":"tokgraft-tiktoken-ref","private":true}\n')
            run(["npm", "install", "--no-package-lock", "--no-audit", "--no-fund", "--omit=dev",
                  "--loglevel=error", TIKTOKEN_NPM], what="npm install", timeout=600, cwd=d)
            for old in d.glob(".installed-*"):
                old.unlink()
            stamp.touch()
    return d / "node_modules"


def _tiktoken_files(path):
    path = Path(path)
    return path, path.with_suffix(".meta.json")


def ref_encode(target, texts_jsonl, out_path, hf=None, offsets=True, add_special=False,
               timeout=None):
    """Run the target's reference encoder on texts_jsonl (JSON strings), writing one JSON
    array per line to out_path."""
    if target.ref == "hf":
        cmd = [hf, "encode", "-t", target.ref_path, "--jsonl"]
        cmd += ["--offsets"] if offsets else []
        cmd += ["--add-special"] if add_special else []
        run(cmd + [texts_jsonl], out_path, timeout=timeout, what="hf encode")
    elif target.ref == "tiktoken":
        if add_special:
            raise ValueError("tiktoken has no post-processor: no --add-special")
        mods = ensure_tiktoken_ref()
        ranks, meta = _tiktoken_files(target.ref_path)
        cmd = ["node", HERE / "tiktoken_ref.js", "encode", ranks, meta]
        cmd += ["--offsets"] if offsets else []
        env = dict(os.environ, NODE_PATH=str(mods))
        run(cmd + [texts_jsonl], out_path, env=env, timeout=timeout, what="tiktoken_ref encode")
    elif target.ref == "spm":
        if offsets or add_special:
            raise ValueError("the spm reference gives ids only")
        spm_encode_jsonl(target.ref_path, texts_jsonl, out_path, timeout)
    else:
        raise ValueError(target.ref)


def ref_decode(target, ids_jsonl, out_path, hf=None, timeout=None):
    """Run the target's reference decoder on ids_jsonl (JSON arrays), writing one JSON
    string per line to out_path."""
    if target.ref == "hf":
        run([hf, "decode", "-t", target.ref_path, "--jsonl", ids_jsonl], out_path,
            timeout=timeout, what="hf decode")
    elif target.ref == "tiktoken":
        mods = ensure_tiktoken_ref()
        ranks, meta = _tiktoken_files(target.ref_path)
        run(["node", HERE / "tiktoken_ref.js", "decode", ranks, meta, ids_jsonl], out_path,
            env=dict(os.environ, NODE_PATH=str(mods)), timeout=timeout, what="tiktoken_ref decode")
    elif target.ref == "spm":
        spm_decode_jsonl(target.ref_path, ids_jsonl, out_path, timeout)
    else:
        raise ValueError(target.ref)


def spm_encode_jsonl(model, texts_jsonl, out_path, timeout=None):
    """spm_encode reads raw lines (split on "\\n" only; "\\r" and NUL stay in the text):
    convert the JSONL, run it, and turn its space-separated ids into JSON arrays."""
    texts_jsonl, out_path = Path(texts_jsonl), Path(out_path)
    raw = out_path.with_suffix(".spm-in.txt")
    n = 0
    with open(texts_jsonl, encoding="utf-8") as f, open(raw, "wb") as g:
        for line in f:
            t = json.loads(line)
            if "\n" in t:
                raise ValueError("spm texts must not contain a newline (spm_encode reads lines)")
            g.write(t.encode("utf-8") + b"\n")
            n += 1
    ids_txt = out_path.with_suffix(".spm-out.txt")
    run(["spm_encode", "--model", model, "--output_format=id", "--input", raw], ids_txt,
        timeout=timeout, what="spm_encode")
    with open(ids_txt, "rb") as f, open(out_path, "w") as g:
        m = 0
        for line in f:
            g.write(json.dumps([int(x) for x in line.split()], separators=(",", ":")) + "\n")
            m += 1
    raw.unlink()
    ids_txt.unlink()
    if m != n:
        raise ToolError(f"spm_encode gave {m} lines for {n} texts")


def spm_decode_jsonl(model, ids_jsonl, out_path, timeout=None):
    """spm_decode --input_format=id: id arrays in, one JSON string per line out."""
    ids_jsonl, out_path = Path(ids_jsonl), Path(out_path)
    raw = out_path.with_suffix(".spm-in.txt")
    n = 0
    with open(ids_jsonl) as f, open(raw, "w") as g:
        for line in f:
            g.write(" ".join(str(i) for i in json.loads(line)) + "\n")
            n += 1
    txt = out_path.with_suffix(".spm-out.txt")
    run(["spm_decode", "--model", model, "--input_format=id", "--input", raw], txt,
        timeout=timeout, what="spm_decode")
    with open(txt, "rb") as f, open(out_path, "w", encoding="utf-8") as g:
        lines = f.read().split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        for line in lines:
            g.write(json.dumps(line.decode("utf-8", "replace"), ensure_ascii=False) + "\n")
    raw.unlink()
    txt.unlink()
    if len(lines) != n:
        raise ToolError(f"spm_decode gave {len(lines)} lines for {n} id lists")


# ---------------------------------------------------------------------------- corpus

def dev_documents(categories=None, max_docs=None):
    """[(label, text)] for the dev split: label 'dev/CAT#i'. Read from CAT.jsonl, whose
    texts are exactly the documents of CAT.txt (which joins them with "\\n\\x1e\\n")."""
    d = data_dir() / "corpus" / "dev"
    cats = categories or sorted(p.stem for p in d.glob("*.jsonl"))
    out = []
    for cat in cats:
        with open(d / f"{cat}.jsonl", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if max_docs is not None and i >= max_docs:
                    break
                out.append((f"dev/{cat}#{i}", json.loads(line)["text"]))
    return out


def dev_categories():
    return sorted(p.stem for p in (data_dir() / "corpus" / "dev").glob("*.txt"))


def which(cmd):
    return shutil.which(cmd)
