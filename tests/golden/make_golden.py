#!/usr/bin/env python3
"""Regenerate the committed golden files in tests/golden/ from the reference tokenizers.

  texts.jsonl        the texts: tools/conformance/adversarial.py --small, two short
                     excerpts (<= 120 bytes) of dev documents per corpus category.
                     {"name", "text"} per line.
  NAME.jsonl         per tokenizer.json (10 shared ones + demo), one line per text, in
                     the order of texts.jsonl (whose "name" is not repeated, to save space):
                     {"text", "ids", "offsets": [[start, end], ...] (UTF-8 bytes,
                     end exclusive), "ids_special" (with the post-processor's special
                     tokens, i.e. --add-special), "decoded" (reference decode of "ids",
                     special tokens kept)}. Reference: shared/oracle/hf.
  r50k_base.jsonl,   same fields for the .tiktoken files that have no tokenizer.json;
  p50k_base.jsonl    reference: OpenAI's tiktoken core (npm tiktoken@1.0.22, WASM), special
                     tokens allowed; ids_special == ids (tiktoken has no post-processor).
                     cl100k_base and o200k_base use gpt35turbo.jsonl and gpt4o.jsonl: those
                     files are HF's conversions of the same encodings (see MANIFEST.json).
  spm-NAME.jsonl     per sentencepiece .model: {"name", "text", "ids", "decoded"} for each
                     distinct line of the texts (spm_encode reads one text per line, so
                     these texts contain no newline); "name" is "T{k}:L{n}", line n of
                     line k of texts.jsonl. Reference: spm_encode / spm_decode.
  MANIFEST.json      which tokenizer file, tokgraft arguments and reference each golden
                     file belongs to; paths are relative to $TOKGRAFT_DATA ("data:") or to
                     the repository ("repo:").

Without $TOKGRAFT_DATA only demo.jsonl is regenerated (from the committed texts.jsonl
and data/demo-tokenizer.json). --train-demo retrains data/demo-tokenizer.json first
(deterministic: same input, same file).

  tests/golden/make_golden.py                 # everything the available data allows
  tests/golden/make_golden.py --only demo     # one golden file
  tests/golden/make_golden.py --check         # regenerate into a temp dir, diff, exit 1 if stale
"""

import argparse
import filecmp
import json
import shutil
import sys
import tempfile
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent
REPO = GOLDEN.parents[1]
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(REPO / "tools" / "conformance"))
import adversarial  # noqa: E402
import refs  # noqa: E402

EXCERPTS_PER_CATEGORY = 2
EXCERPT_MAX_BYTES = 120
DEMO_TOKENIZER = REPO / "data" / "demo-tokenizer.json"
DEMO_TRAIN_BYTES = 200_000  # per category (en, python): "a few hundred KB" in all
SIZE_BUDGET = 3_200_000  # bytes for the whole directory ("about 3 MB")


# ---------------------------------------------------------------------------- texts

def excerpt(text, max_bytes):
    """A piece of text starting at the first line start after a third of the document,
    at most max_bytes of UTF-8, cut at a character boundary. Returns (start_byte, text)."""
    raw = text.encode("utf-8")
    start = raw.find(b"\n", len(raw) // 3) + 1  # 0 when there is no later newline
    piece = raw[start:start + max_bytes]
    piece = piece.decode("utf-8", "ignore")  # drops a character cut at the end
    return start, piece


def build_texts():
    """[(name, text)] of texts.jsonl: needs $TOKGRAFT_DATA for the corpus excerpts."""
    texts = [("adv/" + n, t) for n, t in adversarial.adversarial_texts(small=True)]
    for cat in refs.dev_categories():
        docs = refs.dev_documents([cat], max_docs=EXCERPTS_PER_CATEGORY)
        for label, text in docs:
            start, piece = excerpt(text, EXCERPT_MAX_BYTES)
            texts.append((f"{label}@{start}", piece))
    return texts


def read_texts(path):
    with open(path, encoding="utf-8") as f:
        return [(r["name"], r["text"]) for r in map(json.loads, f)]


def write_jsonl(path, records):
    adversarial.write_jsonl(str(path), records)


def spm_lines(texts):
    """Distinct lines of the texts, in order. Each is named "T{k}:L{n}": line n of the
    text on line k (from 1) of texts.jsonl where it first occurs."""
    out, seen = [], set()
    for k, (_, text) in enumerate(texts, 1):
        for i, line in enumerate(text.split("\n"), 1):
            if line not in seen:
                seen.add(line)
                out.append((f"T{k}:L{i}", line))
    return out


# ---------------------------------------------------------------------------- goldens

def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def reference_outputs(target, texts_path, work, hf, with_offsets, with_special):
    """Run the target's reference on texts_path: returns (triples or ids, ids_special or
    None, decoded)."""
    enc = work / f"{target.name}.enc.jsonl"
    refs.ref_encode(target, texts_path, enc, hf=hf, offsets=with_offsets)
    encoded = load_jsonl(enc)
    ids = [[t[0] for t in e] for e in encoded] if with_offsets else encoded
    ids_path = work / f"{target.name}.ids.jsonl"
    write_jsonl(ids_path, ids)
    dec = work / f"{target.name}.dec.jsonl"
    refs.ref_decode(target, ids_path, dec, hf=hf)
    special = None
    if with_special:
        sp = work / f"{target.name}.special.jsonl"
        refs.ref_encode(target, texts_path, sp, hf=hf, offsets=False, add_special=True)
        special = load_jsonl(sp)
    return encoded, special, load_jsonl(dec)


def make_full_golden(target, texts, out_dir, work, hf):
    """NAME.jsonl with ids, offsets, ids_special and decoded."""
    texts_path = work / "texts.plain.jsonl"
    write_jsonl(texts_path, (t for _, t in texts))
    special_from_ref = target.ref == "hf"
    encoded, special, decoded = reference_outputs(target, texts_path, work, hf, True, special_from_ref)
    records = []
    for i, (name, text) in enumerate(texts):
        ids = [t[0] for t in encoded[i]]
        records.append({"text": text, "ids": ids,
                        "offsets": [t[1:] for t in encoded[i]],
                        "ids_special": special[i] if special_from_ref else ids,
                        "decoded": decoded[i]})
    out = out_dir / f"{target.name}.jsonl"
    write_jsonl(out, records)
    return out, len(records)


def make_spm_golden(target, texts, out_dir, work):
    lines = spm_lines(texts)
    texts_path = work / "spm.plain.jsonl"
    write_jsonl(texts_path, (t for _, t in lines))
    ids, _, decoded = reference_outputs(target, texts_path, work, None, False, False)
    out = out_dir / f"{target.name}.jsonl"
    write_jsonl(out, ({"name": n, "text": t, "ids": ids[i], "decoded": decoded[i]}
                      for i, (n, t) in enumerate(lines)))
    return out, len(lines)


def rel(path):
    """'data:tokenizers/x.json' or 'repo:data/demo-tokenizer.json' for the manifest."""
    p = Path(path)
    for prefix, base in (("data:", refs.data_dir()), ("repo:", REPO)):
        try:
            return prefix + str(p.relative_to(base))
        except ValueError:
            pass
    return str(p)


def manifest_entry(target, golden, count, note=""):
    fields = (["name", "text", "ids", "decoded"] if target.kind == "spm"
              else ["text", "ids", "offsets", "ids_special", "decoded"])
    e = {"golden": golden, "tokenizer": rel(target.path), "kind": target.kind,
         "tokgraft_encode_args": target.encode_args, "reference": target.ref,
         "reference_file": rel(target.ref_path),
         # lets a test tell that its tokenizer file is the one the golden was made from
         "tokenizer_sha256": refs.sha256_file(target.path), "records": count, "fields": fields}
    if note:
        e["note"] = note
    return e


def train_demo(hf, work):
    """Retrain data/demo-tokenizer.json on ~200 KB each of the en and python dev docs
    (whole documents, in corpus order, skipping any that would pass the budget)."""
    files = []
    for cat in ("en", "python"):
        chosen, size = [], 0
        for _, text in refs.dev_documents([cat]):
            n = len(text.encode("utf-8"))
            if size + n <= DEMO_TRAIN_BYTES:
                chosen.append(text)
                size += n
        f = work / f"train-{cat}.txt"
        f.write_text("\n".join(chosen) + "\n", encoding="utf-8")
        files.append(f)
        print(f"train-demo: {cat}: {len(chosen)} documents, {size} bytes")
    refs.run([hf, "train", DEMO_TOKENIZER, "--vocab-size", "2000", "--special", "<|endoftext|>", *files],
             what="hf train")
    print(f"train-demo: wrote {DEMO_TOKENIZER} ({DEMO_TOKENIZER.stat().st_size} bytes)")


# ---------------------------------------------------------------------------- main

def generate(out_dir, args, hf, work):
    have_data = refs.data_missing() is None
    targets = {t.name: t for t in refs.all_targets()}
    only = {n for o in args.only for n in o.split(",") if n}

    if have_data:
        texts = build_texts()
        write_jsonl(out_dir / "texts.jsonl", ({"name": n, "text": t} for n, t in texts))
    else:
        print(f"make_golden: {refs.data_missing()}: only demo.jsonl, from the committed texts.jsonl")
        texts = read_texts(GOLDEN / "texts.jsonl")
        if out_dir != GOLDEN:
            shutil.copy(GOLDEN / "texts.jsonl", out_dir / "texts.jsonl")

    manifest = {"texts": "texts.jsonl", "goldens": {}}
    old_manifest = GOLDEN / "MANIFEST.json"
    if only and old_manifest.is_file():  # keep the entries of the files not regenerated
        manifest = json.loads(old_manifest.read_text())

    wanted = ["demo"]
    if have_data:
        wanted = refs.JSON_TOKENIZERS + ["demo", "r50k_base", "p50k_base"] + [f"spm-{m}" for m in refs.SPM_MODELS]
    for name in wanted:
        if only and name not in only:
            continue
        t = targets[name]
        if t.kind == "spm":
            out, n = make_spm_golden(t, texts, out_dir, work)
        else:
            out, n = make_full_golden(t, texts, out_dir, work, hf)
        manifest["goldens"][name] = manifest_entry(t, out.name, n)
        print(f"make_golden: {out.name}: {n} records, {out.stat().st_size} bytes")
    if have_data:
        for name, twin in refs.TIKTOKEN_JSON_TWIN.items():
            t = targets[name]
            manifest["goldens"][name] = dict(
                manifest_entry(t, f"{twin}.jsonl", manifest["goldens"].get(twin, {}).get("records", 0)),
                note=f"golden shared with {twin}: {twin}.json is HF's conversion of {name} "
                     f"(same ids, special tokens and split pattern)")
    # One golden per line: readable, and diffs show which golden changed.
    body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                      for k, v in manifest["goldens"].items())
    (out_dir / "MANIFEST.json").write_text(
        f'{{\n "texts": "texts.jsonl",\n "goldens": {{\n{body}\n }}\n}}\n', encoding="utf-8")


def dir_size(d):
    return sum(p.stat().st_size for p in Path(d).iterdir() if p.is_file())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hf", help="the oracle's hf wrapper (default: $TOKGRAFT_HF or shared/oracle/hf)")
    ap.add_argument("--only", action="append", default=[], help="golden names, comma-separated "
                    "(llama3 ... llama2, demo, r50k_base, p50k_base, spm-llama2, ...)")
    ap.add_argument("--train-demo", action="store_true", help="retrain data/demo-tokenizer.json first")
    ap.add_argument("--check", action="store_true",
                    help="regenerate into a temporary directory and report files that differ")
    args = ap.parse_args(argv)

    hf = refs.find_hf(args.hf)
    if hf is None:
        print("make_golden: the oracle shared/oracle/hf was not found (use --hf or $TOKGRAFT_HF)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        if args.train_demo:
            if refs.data_missing():
                print(f"make_golden: --train-demo needs the corpus: {refs.data_missing()}", file=sys.stderr)
                return 2
            train_demo(hf, work)
        out_dir = Path(tmp) / "out" if args.check else GOLDEN
        out_dir.mkdir(exist_ok=True)
        try:
            generate(out_dir, args, hf, work)
        except refs.ToolError as e:
            print(f"make_golden: {e}", file=sys.stderr)
            return 2
        if args.check:
            stale = [p.name for p in sorted(out_dir.iterdir())
                     if not (GOLDEN / p.name).is_file() or not filecmp.cmp(p, GOLDEN / p.name, shallow=False)]
            if stale:
                print("make_golden --check: differs from the committed goldens: " + ", ".join(stale))
                return 1
            print("make_golden --check: committed goldens are up to date")
            return 0
    total = dir_size(GOLDEN)
    print(f"make_golden: tests/golden/ is {total} bytes" +
          (f"  WARNING: over the {SIZE_BUDGET}-byte budget" if total > SIZE_BUDGET else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
