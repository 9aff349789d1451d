#!/usr/bin/env bash
# Builds tokgraft and runs its main job on data shipped in data/: a
# vocabulary transplant of the tiny checkpoint model-tiny-a (byte-level BPE)
# to the tokenizer of model-tiny-b (sentencepiece-style metaspace BPE), the
# result scored with tokgraft eval; then the tokenizer tools on the demo
# tokenizer (inspect, encode, decode, train, stats).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/build.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
set -x
build/tokgraft transplant data/model-tiny-a data/model-tiny-b "$work/tiny-a-with-b-vocab"
ls "$work/tiny-a-with-b-vocab"
build/tokgraft eval data/model-tiny-a data/demo.txt
build/tokgraft eval "$work/tiny-a-with-b-vocab" data/demo.txt
tok=data/demo-tokenizer.json
build/tokgraft info -t "$tok"
build/tokgraft encode -t "$tok" --offsets data/demo.txt > "$work/offsets.json"
head -c 400 "$work/offsets.json"; echo
build/tokgraft encode -t "$tok" data/demo.txt | build/tokgraft decode -t "$tok" > "$work/roundtrip.txt"
cmp data/demo.txt "$work/roundtrip.txt" && echo "decode(encode(data/demo.txt)) is byte-identical"
build/tokgraft train --vocab-size 400 --out "$work/trained.json" data/demo.txt
build/tokgraft encode -t "$work/trained.json" data/demo.txt > "$work/ids.json"
head -c 300 "$work/ids.json"; echo
build/tokgraft stats -t "$tok" -t "$work/trained.json" data/demo.txt
