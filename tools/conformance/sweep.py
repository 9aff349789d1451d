#!/usr/bin/env python3
"""Full conformance sweep: tokgraft against the reference tokenizers, id for id and
offset for offset, on every dev document of every corpus category plus the full
adversarial set (tools/conformance/adversarial.py).

Targets (see --list):
  10 tokenizer.json files        reference: shared/oracle/hf (HF tokenizers)
  cl100k_base, o200k_base        .tiktoken + --pattern; reference: hf on gpt35turbo.json /
                                 gpt4o.json (the HF conversions of the same encodings)
  r50k_base, p50k_base           .tiktoken + --pattern; reference: OpenAI's tiktoken core
                                 (npm tiktoken, WASM), installed on first use into
                                 $TOKGRAFT_DATA/tiktoken-ref
  spm-llama2/albert30k/smart50k  .model; reference: Debian's spm_encode/spm_decode. These
                                 read one line per text, so the texts are the distinct lines
                                 of the documents; ids only (no offsets)
  demo                           data/demo-tokenizer.json; reference: hf

Checks per text: the id sequence; the offsets (where the reference has them); that
tokgraft's decode of its ids equals the reference's decode of the same ids; and
decode(encode(x)) == x wherever the reference round-trips.

Every tool runs once per target on all texts (JSONL), never once per document.
Reference outputs are cached under build/conformance-cache/, keyed by sha256 of the
reference implementation, the tokenizer file, the texts and the mode, so re-runs only
run tokgraft.

Exit status: 0 all match (or SKIPPED: no $TOKGRAFT_DATA), 1 a mismatch or a tokgraft
failure, 2 a setup error (no reference, no tokgraft binary, bad arguments).

  tools/conformance/sweep.py                        # everything, build/tokgraft
  tools/conformance/sweep.py --quick --only llama3  # 5 docs per category + small adversarial set
  tools/conformance/sweep.py --only gemma3,spm-llama2 --tokgraft build-asan/tokgraft
"""

import argparse
import gzip
import hashlib
import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import adversarial  # noqa: E402
import refs  # noqa: E402
from refs import ToolError  # noqa: E402

QUICK_DOCS_PER_CATEGORY = 5


# ---------------------------------------------------------------------------- texts

def build_texts(target, quick):
    """[(label, text)] for one target. spm targets get the distinct lines instead of
    whole documents, because spm_encode treats every line as its own text."""
    docs = refs.dev_documents(max_docs=QUICK_DOCS_PER_CATEGORY if quick else None)
    adv = adversarial.adversarial_texts(small=quick)
    if target.max_adv_bytes is not None:
        adv = [(n, t) for n, t in adv if len(t.encode("utf-8")) <= target.max_adv_bytes]
    docs += [("adv/" + n, t) for n, t in adv]
    if target.kind != "spm":
        return docs
    lines, seen = [], set()
    for label, text in docs:
        for i, line in enumerate(text.split("\n")):
            if line not in seen:
                seen.add(line)
                lines.append((f"{label}:L{i + 1}", line))
    return lines


def write_texts(path, texts):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for _, t in texts:
            f.write(adversarial.json_line(t) + "\n")


# ---------------------------------------------------------------------------- cache

def cache_key(*parts):
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def cached_reference(cache_dir, name, key, produce, work_path):
    """Return a path to the plain-text reference output for `key`, running
    produce(work_path) only when the cache has no entry. Entries are gzip files written
    atomically (temp file + rename), so an interrupted run leaves no bad entry."""
    entry = cache_dir / f"{name}-{key[:20]}.jsonl.gz"
    if entry.is_file():
        with gzip.open(entry, "rb") as src, open(work_path, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        return True
    produce(work_path)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_suffix(f".tmp{os.getpid()}")
    with open(work_path, "rb") as src, gzip.open(tmp, "wb", compresslevel=3) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    tmp.replace(entry)
    return False


def ids_only(enc_path, ids_path, offsets):
    """Write the id arrays of an encode output (triples or ids) as JSONL."""
    with open(enc_path, encoding="utf-8") as f, open(ids_path, "w") as g:
        for line in f:
            v = json.loads(line)
            if offsets:
                v = [t[0] for t in v]
            g.write(json.dumps(v, separators=(",", ":")) + "\n")


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")[:-1] if os.path.getsize(path) else []


# ---------------------------------------------------------------------------- compare

def first_divergence(a, b):
    n = min(len(a), len(b))
    for k in range(n):
        if a[k] != b[k]:
            return k
    return n


def show_text(text, byte_pos, width=40):
    """The text around byte_pos as an escaped one-line snippet, » marking the position."""
    raw = text.encode("utf-8")
    lo, hi = max(0, byte_pos - width), min(len(raw), byte_pos + width)
    before = raw[lo:byte_pos].decode("utf-8", "replace")
    after = raw[byte_pos:hi].decode("utf-8", "replace")
    esc = lambda s: json.dumps(s, ensure_ascii=False)[1:-1]  # noqa: E731
    return (("…" if lo else "") + esc(before) + "»" + esc(after) + ("…" if hi < len(raw) else ""))


def show_tokens(seq, k, offsets, span=(3, 6)):
    lo, hi = max(0, k - span[0]), min(len(seq), k + span[1])
    fmt = (lambda t: f"{t[0]}@{t[1]}-{t[2]}") if offsets else str
    items = [("[" + fmt(t) + "]") if i == k else fmt(t) for i, t in zip(range(lo, hi), seq[lo:hi])]
    if k >= len(seq):
        items.append("[end]")
    return ("… " if lo else "") + " ".join(items) + (" …" if hi < len(seq) else "")


class Result:
    def __init__(self, target, unit):
        self.target, self.unit = target, unit
        self.texts = self.tokens = 0
        self.bad = {"ids": [], "offsets": [], "decode": [], "roundtrip": []}
        self.first = None  # detail lines of the first mismatch
        self.ref_roundtrips = 0
        self.error = None
        self.ref_seconds = self.ours_seconds = 0.0
        self.ref_cached = False

    def mismatching(self):
        return len(set().union(*map(set, self.bad.values())))

    def ok(self):
        return self.error is None and self.mismatching() == 0


def compare(res, texts, ref_enc, ours_enc, ref_dec, ours_dec, offsets):
    ref_lines, our_lines = read_lines(ref_enc), read_lines(ours_enc)
    ref_dec_lines, our_dec_lines = read_lines(ref_dec), read_lines(ours_dec)
    for name, lines in (("reference encode", ref_lines), ("reference decode", ref_dec_lines),
                        ("tokgraft encode", our_lines), ("tokgraft decode", our_dec_lines)):
        if len(lines) != len(texts):
            raise ToolError(f"{name} printed {len(lines)} lines for {len(texts)} texts")
    res.texts = len(texts)
    for i, (label, text) in enumerate(texts):
        ref = json.loads(ref_lines[i])
        res.tokens += len(ref)
        same = ref_lines[i] == our_lines[i]
        rdec = json.loads(ref_dec_lines[i])
        try:
            odec = json.loads(our_dec_lines[i])
            ours = ref if same else json.loads(our_lines[i])
        except json.JSONDecodeError as e:
            raise ToolError(f"tokgraft printed invalid JSON for text {i} ({label}): {e}")
        ref_ids = [t[0] for t in ref] if offsets else ref
        our_ids = [t[0] for t in ours] if offsets else ours
        kind = None
        if not same and ref != ours:
            kind = "ids" if ref_ids != our_ids else "offsets"
            res.bad[kind].append(label)
        if rdec == text:
            res.ref_roundtrips += 1
            if odec != text:
                res.bad["roundtrip"].append(label)
                kind = kind or "roundtrip"
        if ref_ids == our_ids and odec != rdec and label not in res.bad["roundtrip"]:
            res.bad["decode"].append(label)
            kind = kind or "decode"
        if kind and res.first is None:
            res.first = describe(label, text, kind, ref, ours, rdec, odec, offsets)


def describe(label, text, kind, ref, ours, rdec, odec, offsets):
    lines = [f"first mismatch: {label} ({kind}), {len(text.encode('utf-8'))} bytes, "
             f"{len(ref)} reference tokens, {len(ours)} ours"]
    if kind in ("ids", "offsets"):
        k = first_divergence(ref, ours)
        seq = ref if k < len(ref) else ours
        pos = seq[k][1] if offsets and k < len(seq) else None
        if pos is not None:
            lines.append(f"  at token {k}, byte {pos}: {show_text(text, pos)}")
        else:  # no offsets (spm): show the beginning of the text
            lines.append(f"  at token {k}; text: {show_text(text, 0, 100)[1:]}")
        lines.append("  ref : " + show_tokens(ref, k, offsets))
        lines.append("  ours: " + show_tokens(ours, k, offsets))
    else:
        k = first_divergence(rdec, odec) if kind == "decode" else first_divergence(text, odec)
        want = rdec if kind == "decode" else text
        esc = lambda s: json.dumps(s[max(0, k - 30):k + 30], ensure_ascii=False)  # noqa: E731
        lines.append(f"  decoded text differs at char {k}")
        lines.append(f"  want: {esc(want)}")
        lines.append(f"  ours: {esc(odec)}")
    return lines


# ---------------------------------------------------------------------------- one target

def run_target(target, args, hf):
    texts = build_texts(target, args.quick)
    res = Result(target, "lines" if target.kind == "spm" else "docs")
    wd = args.run_dir / target.name
    wd.mkdir(parents=True, exist_ok=True)
    texts_path = wd / "texts.jsonl"
    write_texts(texts_path, texts)

    ver = refs.reference_version(target.ref, hf)
    base = [ver, refs.sha256_file(target.ref_path), refs.sha256_file(texts_path)]
    enc_mode = "encode-offsets" if target.offsets else "encode-ids"
    ref_enc, ref_ids, ref_dec = wd / "ref.enc.jsonl", wd / "ref.ids.jsonl", wd / "ref.dec.jsonl"
    ours_enc, ours_ids, ours_dec = wd / "ours.enc.jsonl", wd / "ours.ids.jsonl", wd / "ours.dec.jsonl"

    def reference():
        t0 = time.monotonic()
        c1 = cached_reference(args.cache_dir, target.name, cache_key(*base, enc_mode),
                              lambda p: refs.ref_encode(target, texts_path, p, hf=hf,
                                                        offsets=target.offsets, timeout=args.timeout),
                              ref_enc)
        ids_only(ref_enc, ref_ids, target.offsets)
        c2 = cached_reference(args.cache_dir, target.name, cache_key(*base, "decode"),
                              lambda p: refs.ref_decode(target, ref_ids, p, hf=hf, timeout=args.timeout),
                              ref_dec)
        res.ref_cached = c1 and c2
        res.ref_seconds = time.monotonic() - t0

    def ours():
        t0 = time.monotonic()
        cmd = [args.tokgraft, "encode", "-t", target.path, *target.encode_args, "--jsonl"]
        cmd += ["--offsets"] if target.offsets else []
        cmd += ["--threads", str(args.threads)] if args.threads else []
        try:
            refs.run(cmd + [texts_path], ours_enc, timeout=args.timeout, what="tokgraft encode")
        except ToolError as e:
            done = len(read_lines(ours_enc)) if ours_enc.exists() else 0
            hint = f"\n    output stopped after {done} lines" + (
                f"; text {done} is {texts[done][0]}" if done < len(texts) else "")
            raise ToolError(str(e) + hint)
        try:
            ids_only(ours_enc, ours_ids, target.offsets)
        except (json.JSONDecodeError, TypeError, IndexError) as e:
            raise ToolError(f"tokgraft encode printed something that is not the expected JSON: {e}")
        refs.run([args.tokgraft, "decode", "-t", target.path, "--jsonl", ours_ids], ours_dec,
                 timeout=args.timeout, what="tokgraft decode")
        res.ours_seconds = time.monotonic() - t0

    # Reference and tokgraft in parallel: both are single-threaded processes.
    with ThreadPoolExecutor(2) as pool:
        fr, fo = pool.submit(reference), pool.submit(ours)
        fr.result()  # a reference failure is a setup error: let it propagate
        try:
            fo.result()
        except ToolError as e:
            res.error = str(e)
            return res
    try:
        compare(res, texts, ref_enc, ours_enc, ref_dec, ours_dec, target.offsets)
    except ToolError as e:
        res.error = str(e)
    if not args.keep:
        shutil.rmtree(wd, ignore_errors=True)
    return res


def report(res):
    t = res.target
    status = "OK" if res.ok() else ("ERROR" if res.error else "MISMATCH")
    ref_t = "cached" if res.ref_cached else f"{res.ref_seconds:.1f}s"
    head = (f"{t.name:<14} {res.unit} {res.texts:>5}  tokens {res.tokens:>9}  "
            f"mismatching {res.mismatching():>4}")
    if not res.error:
        b = res.bad
        head += (f" (ids {len(b['ids'])}, offsets {len(b['offsets'])}, decode {len(b['decode'])}, "
                 f"roundtrip {len(b['roundtrip'])}/{res.ref_roundtrips})")
    head += f"  ref {ref_t}, tokgraft {res.ours_seconds:.1f}s  {status}"
    print(head, flush=True)
    if t.max_adv_bytes is not None:
        print(f"    note: {t.note}")
    if res.error:
        print("    " + res.error.replace("\n", "\n    "), flush=True)
        return
    if res.first:
        for line in res.first:
            print("    " + line)
        labels = sorted(set().union(*map(set, res.bad.values())))
        more = labels[:8]
        print(f"    mismatching {res.unit}: {', '.join(more)}"
              + (f" (+{len(labels) - len(more)} more)" if len(labels) > len(more) else ""), flush=True)


# ---------------------------------------------------------------------------- main

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokgraft", default=str(refs.REPO / "build" / "tokgraft"),
                    help="tokgraft binary (default: build/tokgraft)")
    ap.add_argument("--only", action="append", default=[],
                    help="target names, comma-separated or repeated (see --list)")
    ap.add_argument("--quick", action="store_true",
                    help=f"first {QUICK_DOCS_PER_CATEGORY} dev docs per category + the --small adversarial set")
    ap.add_argument("--hf", help="the oracle's hf wrapper (default: $TOKGRAFT_HF or shared/oracle/hf)")
    ap.add_argument("--threads", type=int, help="pass --threads N to tokgraft encode")
    ap.add_argument("--cache-dir", type=Path, default=refs.REPO / "build" / "conformance-cache")
    ap.add_argument("--work-dir", type=Path, default=refs.REPO / "build" / "conformance-work")
    ap.add_argument("--keep", action="store_true",
                    help="keep texts and outputs (WORK_DIR/run-PID/TARGET/) for inspection")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per tool run (default 3600)")
    ap.add_argument("--list", action="store_true", help="list the targets and exit")
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    missing = refs.data_missing()
    if missing:
        print(f"SKIPPED: conformance sweep needs the shared data: {missing}")
        return 0
    targets = [t for t in refs.all_targets() if t.path.exists()]
    if args.list:
        for t in targets:
            print(f"{t.name:<14} {t.kind:<9} {t.path}  {t.note}")
        return 0
    only = {n for o in args.only for n in o.split(",") if n}
    unknown = only - {t.name for t in targets}
    if unknown:
        print(f"sweep: unknown target(s) {', '.join(sorted(unknown))}; see --list", file=sys.stderr)
        return 2
    if only:
        targets = [t for t in targets if t.name in only]
    hf = refs.find_hf(args.hf)
    if hf is None and any(t.ref == "hf" for t in targets):
        print("sweep: the oracle shared/oracle/hf was not found (use --hf or $TOKGRAFT_HF)", file=sys.stderr)
        return 2
    if not (Path(args.tokgraft).is_file() and os.access(args.tokgraft, os.X_OK)):
        print(f"sweep: no tokgraft binary at {args.tokgraft} (build it, or pass --tokgraft)", file=sys.stderr)
        return 2
    print(f"# {' '.join([Path(sys.argv[0]).name] + (argv if argv is not None else sys.argv[1:]))}")
    print(f"# tokgraft {args.tokgraft}, oracle {hf}, data {refs.data_dir()}"
          + (" (quick)" if args.quick else ""), flush=True)
    # A directory per run: two sweeps at once (say, two build trees) must not share files.
    args.run_dir = args.work_dir / f"run-{os.getpid()}"
    failed = 0
    t0 = time.monotonic()
    try:
        for t in targets:
            try:
                res = run_target(t, args, hf)
            except ToolError as e:
                print(f"{t.name:<14} REFERENCE FAILED: {e}", flush=True)
                return 2
            report(res)
            failed += not res.ok()
    finally:
        if not args.keep:
            shutil.rmtree(args.run_dir, ignore_errors=True)
        else:
            print(f"# outputs kept in {args.run_dir}")
    print(f"# {len(targets) - failed}/{len(targets)} targets match "
          f"({time.monotonic() - t0:.0f}s)" + ("" if not failed else f"; {failed} FAILED"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
