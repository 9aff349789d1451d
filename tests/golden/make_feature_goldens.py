#!/usr/bin/env python3
"""Small tokenizers that exercise the tokenizer.json options none of the ten
published tokenizers use (Split behaviours and invert, ByteLevel's prefix
space and trim_offsets, Metaspace's prepend schemes, Digits, the normalizers,
added-token flags, subword prefix/suffix, templates), and their reference
outputs. Writes features/NAME.json, features/NAME.jsonl and
features/MANIFEST.json in the same format as the other goldens.

The byte-level ones reuse the vocabulary and merges of data/demo-tokenizer.json;
the character-level ones get a small vocabulary built here. (The reference's
Strip decoder panics on a token that an earlier decoder emptied, so no
tokenizer here combines the two.)

  tests/golden/make_feature_goldens.py [--hf PATH]
"""

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUT = HERE / "features"

TEXTS = [
    "Hello  world", " leading space", "trailing space ", "   ", "", "a", "x\ny\r\nz\t!",
    "<mask> hello there", "hellothere hello,hello", "HELLO [SEP] x [SEP]y", "  <mask>  end",
    "a1b22c333 4444", "1,234.56 and 7.8", "ÉCOLE ﬁne ① Ⅻ", "café naïve Ünïcödé",
    "The quick brown fox. Jumps, over; the lazy dog!", "it's DON'T we'll", "日本語 テキスト", "😀 👍🏽 x",
    "the the the thethe", "tab\there  two  spaces", "end.", ".,.,", "## </w> ▁ ▁x",
]


def byte_level_base():
    demo = json.loads((REPO / "data" / "demo-tokenizer.json").read_text())
    demo["added_tokens"] = [
        {"id": 0, "content": "<|endoftext|>", "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": False, "special": True}]
    demo["normalizer"] = None
    demo["post_processor"] = None
    demo["decoder"] = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
    return demo


def byte_level_variants():
    out = {}
    def bl(add_prefix_space=False, use_regex=False):
        return {"type": "ByteLevel", "add_prefix_space": add_prefix_space, "trim_offsets": True, "use_regex": use_regex}
    def split(pattern, behavior, invert=False, regex=True):
        return {"type": "Split", "pattern": {"Regex" if regex else "String": pattern}, "behavior": behavior, "invert": invert}
    def seq(*steps):
        return {"type": "Sequence", "pretokenizers": list(steps)}

    t = byte_level_base()
    t["pre_tokenizer"] = bl(add_prefix_space=True, use_regex=True)
    t["post_processor"] = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
    out["bytelevel_prefix_trim"] = t

    for name, step in [
        ("split_removed", split(r"\s+", "Removed")),
        ("split_isolated_string", split(" ", "Isolated", regex=False)),
        ("split_merged_previous", split(" ", "MergedWithPrevious", regex=False)),
        ("split_merged_next", split(r"[,.]", "MergedWithNext")),
        ("split_contiguous", split(r"\d", "Contiguous")),
        ("split_invert_isolated", split(r"\p{L}+", "Isolated", invert=True)),
        ("split_invert_removed", split(r"\p{L}+", "Removed", invert=True)),
        ("split_invert_merged_next", split(r"\s", "MergedWithNext", invert=True)),
    ]:
        t = byte_level_base()
        t["pre_tokenizer"] = seq(step, bl())
        out[name] = t

    t = byte_level_base()
    t["pre_tokenizer"] = seq({"type": "Digits", "individual_digits": True}, bl(use_regex=True))
    out["digits_individual"] = t

    t = byte_level_base()
    t["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "NFKD"}, {"type": "Lowercase"}, {"type": "Replace", "pattern": {"Regex": r"\d+"}, "content": "#"},
        {"type": "Strip", "strip_left": True, "strip_right": True}]}
    t["pre_tokenizer"] = bl(use_regex=True)
    out["normalizers_nfkd_lower_replace_strip"] = t

    t = byte_level_base()
    t["normalizer"] = {"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "Prepend", "prepend": "~"}]}
    t["pre_tokenizer"] = bl(use_regex=True)
    out["normalizers_nfd_prepend"] = t

    t = byte_level_base()
    n = len(t["model"]["vocab"])
    t["normalizer"] = {"type": "Lowercase"}
    t["pre_tokenizer"] = bl(use_regex=True)
    t["added_tokens"] += [
        {"id": n, "content": "<mask>", "single_word": False, "lstrip": True, "rstrip": True, "normalized": False, "special": True},
        {"id": n + 1, "content": "hello", "single_word": True, "lstrip": False, "rstrip": False, "normalized": True, "special": False},
        {"id": n + 2, "content": "[SEP]", "single_word": False, "lstrip": False, "rstrip": True, "normalized": False, "special": True},
        {"id": n + 3, "content": "the", "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": False},
    ]
    t["post_processor"] = {"type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                   {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
        "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [0], "tokens": ["<|endoftext|>"]},
                           "[SEP]": {"id": "[SEP]", "ids": [n + 2], "tokens": ["[SEP]"]}}}
    out["added_token_flags_template"] = t
    return out


def char_level_vocab(prefix="", suffix=""):
    """A small character-level BPE: printable ASCII, '▁', some merges."""
    chars = ["▁"] + [chr(c) for c in range(33, 127)]
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for c in chars:
        vocab.setdefault(c, len(vocab))
        if prefix:
            vocab.setdefault(prefix + c, len(vocab))
        if suffix:
            vocab.setdefault(c + suffix, len(vocab))
            if prefix:
                vocab.setdefault(prefix + c + suffix, len(vocab))
    merges = []
    def merge(a, b):
        new = a + (b[len(prefix):] if prefix else b)
        vocab.setdefault(new, len(vocab))
        merges.append([a, b])
        return new
    for word in ["▁the", "▁hello", "▁world", "he", "ll", "▁a", "in", "er", "on", "an"]:
        parts = list(word)
        if prefix:
            parts = [parts[0]] + [prefix + p for p in parts[1:]]
        if suffix:
            parts[-1] = parts[-1] + suffix
        acc = parts[0]
        for p in parts[1:]:
            if acc in vocab and p in vocab:
                acc = merge(acc, p)
    return vocab, merges


def char_level_variants():
    out = {}
    base_added = [{"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
                   "normalized": False, "special": True} for i, c in enumerate(["<unk>", "<s>", "</s>"])]
    for name, scheme, split, fuse in [("metaspace_first_split", "first", True, False),
                                      ("metaspace_never_nosplit_fuse", "never", False, True),
                                      ("metaspace_always_split", "always", True, True)]:
        vocab, merges = char_level_vocab()
        out[name] = {
            "version": "1.0", "truncation": None, "padding": None, "added_tokens": base_added,
            "normalizer": None,
            "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": scheme, "split": split},
            "post_processor": {"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]},
                                   "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}},
            "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": scheme, "split": split},
            "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                      "end_of_word_suffix": None, "fuse_unk": fuse, "byte_fallback": False, "ignore_merges": False,
                      "vocab": vocab, "merges": merges}}
    vocab, merges = char_level_vocab(prefix="##", suffix="</w>")
    out["subword_prefix_suffix"] = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": base_added, "normalizer": None,
        "pre_tokenizer": {"type": "Split", "pattern": {"Regex": r"\s+"}, "behavior": "Removed", "invert": False},
        "post_processor": None,
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "##"}, "content": ""},
            {"type": "Replace", "pattern": {"String": "</w>"}, "content": " "}, {"type": "Fuse"}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": "##",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": [" ".join(m) for m in merges]}}
    return out


def run(cmd, stdin_path):
    with open(stdin_path, "rb") as f:
        result = subprocess.run(cmd, stdin=f, capture_output=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed: {result.stderr.decode(errors='replace')}")
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hf", default=os.environ.get("TOKGRAFT_HF", str(REPO.parent / "shared" / "oracle" / "hf")))
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    tokenizers = {**byte_level_variants(), **char_level_variants()}
    manifest = {"texts": "inline", "goldens": {}}
    with tempfile.TemporaryDirectory() as tmp:
        texts_path = Path(tmp) / "texts.jsonl"
        texts_path.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in TEXTS if t))
        texts = [t for t in TEXTS if t]
        for name, tok in tokenizers.items():
            path = OUT / f"{name}.json"
            path.write_text(json.dumps(tok, ensure_ascii=False) + "\n")
            hf = [args.hf, "encode", "-t", str(path), "--jsonl"]
            with_offsets = run(hf + ["--offsets"], texts_path)
            special = run(hf + ["--add-special"], texts_path)
            ids_path = Path(tmp) / "ids.jsonl"
            ids_path.write_text("".join(json.dumps([t[0] for t in r]) + "\n" for r in with_offsets))
            decoded = run([args.hf, "decode", "-t", str(path)], ids_path)
            with open(OUT / f"{name}.jsonl", "w") as out:
                for text, triples, ids_special, dec in zip(texts, with_offsets, special, decoded):
                    out.write(json.dumps({"text": text, "ids": [t[0] for t in triples],
                                          "offsets": [[t[1], t[2]] for t in triples],
                                          "ids_special": ids_special, "decoded": dec}, ensure_ascii=False) + "\n")
            manifest["goldens"][name] = {"golden": f"features/{name}.jsonl",
                                         "tokenizer": f"repo:tests/golden/features/{name}.json",
                                         "kind": "json", "tokgraft_encode_args": [], "reference": "hf"}
            print(f"{name}: {len(texts)} texts")
    (OUT / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
