#!/usr/bin/env bash
# Bad input to the CLI: each case must exit with code 2 and print a message
# naming the problem on stderr; nothing may crash. Usage: bad_input_test.sh TOKGRAFT SOURCE_DIR
set -u
tokgraft="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
demo="$src/data/demo-tokenizer.json"
passed=0
failed=0

# expect_error NAME EXPECTED_MESSAGE_FRAGMENT COMMAND...
expect_error() {
  local name="$1" fragment="$2"
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local code=$?
  if [ "$code" -eq 2 ] && grep -qF -- "$fragment" "$work/err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: exit $code, stderr: $(head -c 300 "$work/err")"
  fi
}

json() { printf '%s' "$2" > "$work/$1"; echo "$work/$1"; }

expect_error truncated-json "not valid JSON" "$tokgraft" info -t "$(head -c 2000 "$demo" > "$work/t.json"; echo "$work/t.json")"
expect_error not-an-object "expected an object" "$tokgraft" info -t "$(json a.json '[1,2]')"
expect_error vocab-wrong-type "model.vocab: expected an object, found an array" \
  "$tokgraft" info -t "$(json b.json '{"model":{"type":"BPE","vocab":[1],"merges":[]}}')"
expect_error id-wrong-type 'model.vocab.a: expected a token id, found a string' \
  "$tokgraft" info -t "$(json c.json '{"model":{"type":"BPE","vocab":{"a":"0"},"merges":[]}}')"
expect_error merge-unknown-token 'names a token that is not in the vocabulary' \
  "$tokgraft" info -t "$(json d.json '{"model":{"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":["a c"]}}')"
expect_error merge-result-unknown 'which is not in the vocabulary' \
  "$tokgraft" info -t "$(json e.json '{"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]}}')"
expect_error merge-malformed 'is not two tokens separated by one space' \
  "$tokgraft" info -t "$(json f.json '{"model":{"type":"BPE","vocab":{"a":0},"merges":["a"]}}')"
expect_error duplicate-id 'id 0 is given to both' \
  "$tokgraft" info -t "$(json g.json '{"model":{"type":"BPE","vocab":{"a":0,"b":0},"merges":[]}}')"
expect_error unsupported-model '"WordPiece" is not supported' \
  "$tokgraft" info -t "$(json h.json '{"model":{"type":"WordPiece","vocab":{"a":0}}}')"
expect_error unknown-pre-tokenizer 'pre_tokenizer type "Whitespace" is not supported' \
  "$tokgraft" info -t "$(json i.json '{"pre_tokenizer":{"type":"Whitespace"},"model":{"type":"BPE","vocab":{"a":0},"merges":[]}}')"
expect_error bad-regex 'pre_tokenizer.pattern' \
  "$tokgraft" info -t "$(json j.json '{"pre_tokenizer":{"type":"Split","pattern":{"Regex":"(a"},"behavior":"Isolated"},"model":{"type":"BPE","vocab":{"a":0},"merges":[]}}')"
expect_error unknown-unk 'unk_token "<unk>" is not in the vocabulary' \
  "$tokgraft" info -t "$(json k.json '{"model":{"type":"BPE","unk_token":"<unk>","vocab":{"a":0},"merges":[]}}')"
expect_error not-sentencepiece 'is not a sentencepiece model' "$tokgraft" info -t "$(json m.model 'hello, not a model')"
printf 'IQ== 0\nnot-base64! 1\n' > "$work/x.tiktoken"
expect_error tiktoken-bad-line 'x.tiktoken:2: expected "<base64 token> <rank>"' "$tokgraft" info -t "$work/x.tiktoken" --pattern r50k_base
expect_error tiktoken-unknown-pattern 'unknown tiktoken encoding "x"' "$tokgraft" info -t "$work/x.tiktoken"
printf 'ok \xff\xfe bad' > "$work/bad.txt"
expect_error invalid-utf8 'invalid UTF-8 in text at byte 3' "$tokgraft" encode -t "$demo" "$work/bad.txt"
printf '"fine"\n[1,2]\n' > "$work/bad.jsonl"
expect_error jsonl-not-string 'bad.jsonl:2: not a JSON string' "$tokgraft" encode -t "$demo" --jsonl "$work/bad.jsonl"
expect_error missing-file 'does not exist' "$tokgraft" encode -t "$work/nope.json" "$work/bad.txt"
expect_error missing-input 'cannot read' "$tokgraft" encode -t "$demo" "$work/nope.txt"
expect_error unknown-option 'unknown option --frobnicate' "$tokgraft" encode -t "$demo" --frobnicate
expect_error bad-threads '--threads: "0" is not a whole number' "$tokgraft" encode -t "$demo" --threads 0
expect_error stochastok-above-one '--stochastok: "1.5" is not a number from 0 to 1' "$tokgraft" encode -t "$demo" --stochastok 1.5 "$src/data/demo.txt"
expect_error stochastok-not-a-number '--stochastok: "often" is not a number' "$tokgraft" encode -t "$demo" --stochastok often "$src/data/demo.txt"
expect_error dropout-negative '--dropout: "-0.1" is not a number from 0 to 1' "$tokgraft" encode -t "$demo" --dropout -0.1 "$src/data/demo.txt"
expect_error dropout-nan '--dropout: "nan" is not a number' "$tokgraft" encode -t "$demo" --dropout nan "$src/data/demo.txt"
expect_error seed-negative '--seed: "-1" is not a whole number' "$tokgraft" encode -t "$demo" --dropout 0.1 --seed -1 "$src/data/demo.txt"
expect_error max-expansions-alone '--max-expansions needs --stochastok' "$tokgraft" encode -t "$demo" --max-expansions 3 "$src/data/demo.txt"
expect_error stochastok-offsets 'cannot be combined with --offsets' "$tokgraft" encode -t "$demo" --stochastok 0.1 --offsets "$src/data/demo.txt"
expect_error merge-batch-no-merges 'missing --merges M' "$tokgraft" merge-batch -t "$demo" "$src/data/demo.txt"
expect_error merge-batch-negative-merges '--merges: "-3" is not a whole number' "$tokgraft" merge-batch -t "$demo" --merges -3 "$src/data/demo.txt"
expect_error merge-batch-bad-boundary '--boundary: "sentence" is not one of' "$tokgraft" merge-batch -t "$demo" --merges 5 --boundary sentence "$src/data/demo.txt"
expect_error merge-batch-bad-target '--target-reduction: "2" is not a number from 0 to 1' "$tokgraft" merge-batch -t "$demo" --merges 5 --target-reduction 2 "$src/data/demo.txt"
expect_error merge-batch-jsonl-not-string 'bad.jsonl:2: not a JSON string' "$tokgraft" merge-batch -t "$demo" --merges 5 --jsonl "$work/bad.jsonl"
expect_error decode-out-of-range 'id 99999 is not in the vocabulary' sh -c "echo '[99999]' | '$tokgraft' decode -t '$demo'"
expect_error decode-garbage "unexpected 'x'" sh -c "echo '[1, x]' | '$tokgraft' decode -t '$demo'"
expect_error full-disk 'cannot write output' sh -c "'$tokgraft' encode -t '$demo' '$src/data/demo.txt' > /dev/full"
expect_error unknown-command "unknown command 'frob'" "$tokgraft" frob

# Training and counting.
printf 'a\xffb\n' > "$work/bad-utf8.txt"
: > "$work/empty.txt"
expect_error train-no-out 'missing --out' "$tokgraft" train --vocab-size 300 "$src/data/demo.txt"
expect_error train-bad-vocab '--vocab-size: "x" is not a whole number' \
  "$tokgraft" train --vocab-size x --out "$work/trained.json" "$src/data/demo.txt"
expect_error train-invalid-utf8 'bad-utf8.txt: invalid UTF-8 at byte 1' \
  "$tokgraft" train --vocab-size 300 --out "$work/trained.json" "$work/bad-utf8.txt"
expect_error train-empty 'no words to train on' "$tokgraft" train --vocab-size 300 --out "$work/trained.json" "$work/empty.txt"
expect_error train-bad-regex 'missing closing parenthesis' \
  "$tokgraft" train --vocab-size 300 --out "$work/trained.json" --pre-tokenizer '(' "$src/data/demo.txt"
expect_error train-not-counts 'not a word-count line' \
  "$tokgraft" train --vocab-size 300 --out "$work/trained.json" --from-counts "$src/data/demo.txt"
expect_error train-resume-not-bpe 'model: missing' \
  "$tokgraft" train --vocab-size 300 --out "$work/trained.json" --resume "$(json r.json '{"x":1}')" "$src/data/demo.txt"
expect_error train-unwritable 'cannot write' \
  "$tokgraft" train --vocab-size 300 --out "$work/no/such/dir/t.json" "$src/data/demo.txt"
"$tokgraft" count --quiet --pre-tokenizer gpt2 --out "$work/gpt2.counts" "$src/data/demo.txt"
expect_error count-merge-mismatch "made with pre-tokenizer 'gpt2', not 'digits-bytelevel'" \
  "$tokgraft" count --merge --out "$work/sum.counts" "$work/gpt2.counts"
if [ -e "$work/trained.json" ] || [ -e "$work/trained.json.partial" ] || [ -e "$work/sum.counts.partial" ]; then
  failed=$((failed + 1)); echo "FAIL a failed run left an output file behind"; else passed=$((passed + 1)); fi

# Models for eval: a valid config, then broken weights or configs.
model="$work/model"
mkdir -p "$model"
cp "$demo" "$model/tokenizer.json"
printf 'hello\n' > "$work/doc.txt"
config='{"model_type":"llama","hidden_size":4,"intermediate_size":8,"num_hidden_layers":1,"num_attention_heads":2,"vocab_size":8,"eos_token_id":0}'
printf '%s' "$config" > "$model/config.json"
printf 'abc' > "$model/model.safetensors"
expect_error eval-truncated 'no header length' "$tokgraft" eval "$model" "$work/doc.txt"
safetensors() {  # safetensors FILE HEADER DATA_BYTES
  python3 -c 'import struct,sys; h=sys.argv[2].encode(); open(sys.argv[1],"wb").write(struct.pack("<Q",len(h))+h+bytes(int(sys.argv[3])))' "$@"
}
safetensors "$model/model.safetensors" '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}' 12
expect_error eval-overlap 'tensors a and b overlap' "$tokgraft" eval "$model" "$work/doc.txt"
safetensors "$model/model.safetensors" '{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}' 8
expect_error eval-past-end 'runs past the end of the data' "$tokgraft" eval "$model" "$work/doc.txt"
safetensors "$model/model.safetensors" '{"model.embed_tokens.weight":{"dtype":"I32","shape":[8,4],"data_offsets":[0,128]}}' 128
expect_error eval-dtype 'dtype I32 is not supported' "$tokgraft" eval "$model" "$work/doc.txt"
safetensors "$model/model.safetensors" '{"model.embed_tokens.weight":{"dtype":"F32","shape":[8,5],"data_offsets":[0,160]}}' 160
expect_error eval-shape 'model.embed_tokens.weight has shape [8,5], the config needs [8,4]' \
  "$tokgraft" eval "$model" "$work/doc.txt"
safetensors "$model/model.safetensors" '{"model.embed_tokens.weight":{"dtype":"F32","shape":[8,4],"data_offsets":[0,128]}}' 128
expect_error eval-missing-tensor 'missing tensor model.norm.weight' "$tokgraft" eval "$model" "$work/doc.txt"
printf '{"model_type":"llama","hidden_size":4}' > "$model/config.json"
expect_error eval-config-field 'intermediate_size is missing' "$tokgraft" eval "$model" "$work/doc.txt"
printf '{"model_type":"gpt_neox"}' > "$model/config.json"
expect_error eval-architecture 'model_type "gpt_neox" is not supported' "$tokgraft" eval "$model" "$work/doc.txt"
expect_error eval-not-a-folder 'is not a model folder' "$tokgraft" eval "$work/doc.txt" "$work/doc.txt"

# Statistics: bad tokenizers and corpora are named; a failed run writes no report.
mkdir -p "$work/no-txt"
expect_error stats-no-tokenizer 'missing -t PATH' "$tokgraft" stats "$src/data/demo.txt"
expect_error stats-missing-tokenizer "$work/nope.json does not exist" "$tokgraft" stats -t "$work/nope.json" "$src/data/demo.txt"
expect_error stats-one-bad-tokenizer "$work/t.json is not valid JSON" \
  "$tokgraft" stats -t "$demo" -t "$work/t.json" --out "$work/stats-report" "$src/data/demo.txt"
expect_error stats-empty-corpus-dir "empty corpus: no .txt files in $work/no-txt" "$tokgraft" stats -t "$demo" --corpus "$work/no-txt"
expect_error stats-corpus-not-dir "corpus $work/nope is not a directory" "$tokgraft" stats -t "$demo" --corpus "$work/nope"
expect_error stats-empty-file 'empty.txt: no text (empty corpus file)' \
  "$tokgraft" stats -t "$demo" --out "$work/stats-report" "$src/data/demo.txt" "$work/empty.txt"
expect_error stats-invalid-utf8 'bad-utf8.txt: invalid UTF-8 at byte 1' \
  "$tokgraft" stats -t "$demo" --json "$src/data/demo.txt" "$work/bad-utf8.txt"
expect_error stats-corpus-and-files 'give --corpus DIR or FILEs, not both' \
  "$tokgraft" stats -t "$demo" --corpus "$work/no-txt" "$src/data/demo.txt"
mkdir -p "$work/other" && cp "$src/data/demo.txt" "$work/other/demo.txt"
expect_error stats-duplicate-category 'two corpus files make category "demo"' \
  "$tokgraft" stats -t "$demo" "$src/data/demo.txt" "$work/other/demo.txt"
expect_error stats-unwritable-out 'cannot create /dev/null/report' \
  "$tokgraft" stats -t "$demo" --out /dev/null/report "$src/data/demo.txt"
if [ -e "$work/stats-report" ]; then
  failed=$((failed + 1)); echo "FAIL a failed stats run left a report behind"; else passed=$((passed + 1)); fi

expect_error mixture-no-tokenizer 'missing -t TOKENIZER' "$tokgraft" mixture --category "demo=$src/data/demo.txt"
expect_error mixture-missing-sample "$work/nope.txt" "$tokgraft" mixture -t "$demo" --category "gone=$work/nope.txt"
expect_error mixture-empty-sample 'category empty: '"$work"'/empty.txt: no text' \
  "$tokgraft" mixture -t "$demo" --category "demo=$src/data/demo.txt" --category "empty=$work/empty.txt"
expect_error mixture-invalid-utf8 'bad-utf8.txt: invalid UTF-8 at byte 1' \
  "$tokgraft" mixture -t "$demo" --category "bad=$work/bad-utf8.txt"
expect_error mixture-bad-category '--category "demo": expected NAME=FILE' "$tokgraft" mixture -t "$demo" --category demo
expect_error mixture-category-twice '--category demo is given twice' \
  "$tokgraft" mixture -t "$demo" --category "demo=$src/data/demo.txt" --category "demo=$src/data/demo.txt"
expect_error mixture-corpus-not-dir "corpus $work/nope is not a directory" "$tokgraft" mixture -t "$demo" --corpus "$work/nope"
expect_error mixture-unigram 'Unigram' "$tokgraft" mixture -t "$(json unigram.json '{"model":{"type":"Unigram","vocab":[["a",0.0]]}}')" \
  --category "demo=$src/data/demo.txt"
expect_error mixture-merge-unknown-token 'names a token that is not in the vocabulary' \
  "$tokgraft" mixture -t "$work/d.json" --category "demo=$src/data/demo.txt"
expect_error mixture-bad-unit '--unit: "word" is neither line nor document' \
  "$tokgraft" mixture -t "$demo" --unit word --category "demo=$src/data/demo.txt"
expect_error mixture-unwritable-out 'cannot create /dev/null/page' \
  "$tokgraft" mixture -t "$demo" --out /dev/null/page --quiet --category "demo=$src/data/demo.txt"

# tokgraft bytes: unsupported tokenizers are refused (before the model is read), usage errors.
mkdir -p "$work/metaspace-model" && cp "$src/tests/golden/features/metaspace_always_split.json" "$work/metaspace-model/tokenizer.json"
printf 'abc' > "$work/prompt.txt"
expect_error bytes-unsupported-tokenizer 'Metaspace' \
  "$tokgraft" bytes next "$work/metaspace-model" --prompt-file "$work/prompt.txt"
expect_error bytes-unsupported-tokenizer-score 'is not supported for byte-level probabilities' \
  "$tokgraft" bytes score "$work/metaspace-model" "$src/data/demo.txt"
expect_error bytes-not-a-folder "$work/nope is not a model folder" \
  "$tokgraft" bytes next "$work/nope" --prompt-file "$work/prompt.txt"
expect_error bytes-no-prompt '--prompt-file is required' "$tokgraft" bytes complete "$work/metaspace-model"
expect_error bytes-bad-method '--method must be byte, heal or naive' \
  "$tokgraft" bytes complete "$work/metaspace-model" --prompt-file "$work/prompt.txt" --method greedy
expect_error bytes-unknown-subcommand "unknown subcommand 'scores'" "$tokgraft" bytes scores "$work/metaspace-model"

for cmd in encode decode info train count merge-batch eval stats transplant mixture bytes; do
  if "$tokgraft" "$cmd" --help | grep -q "usage: tokgraft $cmd"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL $cmd --help"; fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
