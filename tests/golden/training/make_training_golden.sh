#!/usr/bin/env bash
# Regenerates the training goldens: what Hugging Face's BpeTrainer (the oracle,
# shared/oracle/hf) learns from the shipped demo text. tests/tokenizer/
# bpe_trainer_test.cc checks that tokgraft learns exactly the same merges.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
hf="${TOKGRAFT_HF:-$repo/../shared/oracle/hf}"
"$hf" train "$here/demo-bytelevel.json" --vocab-size 600 "$repo/data/demo.txt"
"$hf" train "$here/demo-metaspace.json" --vocab-size 300 --pre-tokenizer metaspace "$repo/data/demo.txt"
