#!/usr/bin/env bash
# tokgraft transplant through the CLI: a good run on the committed tiny
# models, then bad input, where each case must exit 2 with a message naming
# the problem and leave nothing in OUT. Usage: transplant_cli_test.sh TOKGRAFT SOURCE_DIR
set -u
tokgraft="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
base="$src/data/model-tiny-a"
donor="$src/data/model-tiny-b"
passed=0
failed=0
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# expect_error NAME EXPECTED_MESSAGE_FRAGMENT COMMAND...: exit 2, the
# message, and no OUT (always $work/out) nor staging folder left behind.
expect_error() {
  local name="$1" fragment="$2"
  shift 2
  rm -rf "$work/out"
  "$@" >"$work/stdout" 2>"$work/stderr"
  local code=$?
  if [ "$code" -ne 2 ] || ! grep -qF -- "$fragment" "$work/stderr"; then
    fail "$name: exit $code, stderr: $(head -c 400 "$work/stderr")"
  elif [ -e "$work/out" ] || ls -a "$work" | grep -q '^\.out\.tokgraft'; then
    fail "$name: output left behind"
  else
    passed=$((passed + 1))
  fi
}

# Copies a model folder and edits it with Python (no third-party modules).
edit_copy() {
  local from="$1" to="$2" script="$3"
  rm -rf "$to"
  cp -r "$from" "$to"
  /usr/bin/python3 - "$to" <<PY
import json, os, struct, sys
folder = sys.argv[1]
def header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n)), f.read()
def write(path, head, data):
    raw = json.dumps(head).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + data)
$script
PY
}

# A good run: every file, a report, a model that eval can score.
if "$tokgraft" transplant "$base" "$donor" "$work/good" --quiet >"$work/stdout" 2>"$work/stderr"; then
  for f in config.json tokenizer.json tokenizer_config.json model.safetensors.index.json transplant_report.json \
           model-00001-of-00002.safetensors model-00002-of-00002.safetensors generation_config.json; do
    [ -s "$work/good/$f" ] || fail "good run: $f missing"
  done
  grep -q '"vocab_size": 4096' "$work/good/config.json" || fail "good run: vocab_size not updated"
  grep -q '"eos_token_id": 2' "$work/good/config.json" || fail "good run: eos id not the donor's"
  grep -q 'shared with the base' "$work/stdout" || fail "good run: no summary"
  printf 'The quick brown fox jumps over the lazy dog.\n' > "$work/text.txt"
  "$tokgraft" eval "$work/good" "$work/text.txt" --quiet --json >/dev/null 2>"$work/stderr" || fail "eval of the output: $(cat "$work/stderr")"
  passed=$((passed + 1))
else
  fail "good run: $(cat "$work/stderr")"
fi

expect_error out-exists "already exists (use --force" "$tokgraft" transplant "$base" "$donor" "$work/good"
# (expect_error removes $work/out, never $work/good: the folder above survives.)
[ -f "$work/good/transplant_report.json" ] || fail "out-exists: the existing folder was touched"

expect_error pool-below-k "--omp-candidates 8 is fewer than --k 64" \
  "$tokgraft" transplant "$base" "$donor" "$work/out" --omp-candidates 8
expect_error rescreen-alone "--omp-rescreen needs --omp-candidates" \
  "$tokgraft" transplant "$base" "$donor" "$work/out" --omp-rescreen 8
expect_error unknown-method "unknown method 'magic'" "$tokgraft" transplant "$base" "$donor" "$work/out" --method magic
expect_error missing-base "base $work/nope: not a folder" "$tokgraft" transplant "$work/nope" "$donor" "$work/out"

edit_copy "$donor" "$work/no-embed" '
head, data = header(os.path.join(folder, "model.safetensors"))
head["model.embed_tokens.wrong"] = head.pop("model.embed_tokens.weight")
write(os.path.join(folder, "model.safetensors"), head, data)'
expect_error missing-tensor "missing tensor model.embed_tokens.weight" \
  "$tokgraft" transplant "$work/no-embed" "$donor" "$work/out"

edit_copy "$donor" "$work/small-vocab" '
c = json.load(open(os.path.join(folder, "config.json"))); c["vocab_size"] = 4000
json.dump(c, open(os.path.join(folder, "config.json"), "w"))'
expect_error tokenizer-past-matrix "tokenizer and weights do not belong together" \
  "$tokgraft" transplant "$base" "$work/small-vocab" "$work/out"

edit_copy "$donor" "$work/big-vocab" '
c = json.load(open(os.path.join(folder, "config.json"))); c["vocab_size"] = 5000
json.dump(c, open(os.path.join(folder, "config.json"), "w"))'
expect_error shape-mismatch "has shape [4096,64], the config needs [5000,64]" \
  "$tokgraft" transplant "$base" "$work/big-vocab" "$work/out"

edit_copy "$donor" "$work/int-dtype" '
head, data = header(os.path.join(folder, "model.safetensors"))
for name, t in head.items():
    if name != "__metadata__" and name != "model.embed_tokens.weight": t["dtype"] = "I16"
write(os.path.join(folder, "model.safetensors"), head, data)'
expect_error unsupported-dtype "has dtype I16; tokgraft writes F32, F16 and BF16 checkpoints only" \
  "$tokgraft" transplant "$work/int-dtype" "$base" "$work/out"

edit_copy "$donor" "$work/no-config" 'os.remove(os.path.join(folder, "config.json"))'
expect_error missing-config "config.json: cannot read" "$tokgraft" transplant "$base" "$work/no-config" "$work/out"

mkdir -p "$work/alien"
printf '{"model":{"type":"BPE","vocab":{"qqqq1":0,"qqqq2":1},"merges":[]}}' > "$work/alien/tokenizer.json"
printf '{"hidden_size": 64, "vocab_size": 2}' > "$work/alien/config.json"
cp "$donor/model.safetensors" "$work/alien/model.safetensors"
edit_copy "$work/alien" "$work/alien2" '
head, data = header(os.path.join(folder, "model.safetensors"))
e = head["model.embed_tokens.weight"]; e["shape"] = [2, 64]; e["data_offsets"] = [e["data_offsets"][0], e["data_offsets"][0] + 256]
write(os.path.join(folder, "model.safetensors"), {"model.embed_tokens.weight": e}, data)'
expect_error no-shared-tokens "share no token" "$tokgraft" transplant "$base" "$work/alien2" "$work/out"

expect_error k-too-large "fewer than OMP's k=4000" "$tokgraft" transplant "$base" "$donor" "$work/out" --k 4000 --method omp

# A full disk: writes fail past 64 KiB (SIGXFSZ ignored, so write() fails).
expect_error disk-full "cannot copy" bash -c "trap '' XFSZ; ulimit -f 64; exec \"$tokgraft\" transplant \"$base\" \"$donor\" \"$work/out\" --quiet"

echo "transplant CLI: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
