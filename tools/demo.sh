#!/usr/bin/env bash
# Builds tokgraft and runs its main job on data shipped in data/: until the
# vocabulary transplant lands, that is inspecting, encoding and decoding with
# the demo tokenizer (a byte-level BPE trained by the reference on this repo's
# corpus sample), training a small vocabulary, and a stats report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools/build.sh
tok=data/demo-tokenizer.json
set -x
build/tokgraft info -t "$tok"
work="$(mktemp -d)"
build/tokgraft encode -t "$tok" --offsets data/demo.txt > "$work/offsets.json"
head -c 400 "$work/offsets.json"; echo
build/tokgraft encode -t "$tok" data/demo.txt | build/tokgraft decode -t "$tok" > /tmp/tokgraft-demo-roundtrip.txt
cmp data/demo.txt /tmp/tokgraft-demo-roundtrip.txt && echo "decode(encode(data/demo.txt)) is byte-identical"
build/tokgraft train --vocab-size 400 --out "$work/trained.json" data/demo.txt
build/tokgraft encode -t "$work/trained.json" data/demo.txt > "$work/ids.json"
head -c 300 "$work/ids.json"; echo
build/tokgraft stats -t "$tok" -t "$work/trained.json" data/demo.txt
