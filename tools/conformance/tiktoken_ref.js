#!/usr/bin/env node
// Independent reference for .tiktoken encodings: OpenAI's tiktoken core (Rust, compiled to
// WASM) from the npm package `tiktoken`, installed by refs.py into
// $TOKGRAFT_DATA/tiktoken-ref and put on NODE_PATH. Used for r50k_base and p50k_base,
// which have no tokenizer.json here, and to cross-check cl100k/o200k against the
// HF conversions. Called by refs.py; not meant to be run by hand.
//
//   node tiktoken_ref.js encode RANKS.tiktoken META.json [--offsets] TEXTS.jsonl
//   node tiktoken_ref.js decode RANKS.tiktoken META.json IDS.jsonl
//
// encode: one JSON string per input line -> one JSON array of ids (or [id,start,end]
// triples) per line. Special tokens found in the text are encoded as special tokens
// (tiktoken's allowed_special="all"), as a tokenizer.json with added tokens does.
// Offsets follow the HF oracle's convention so both references can be compared with one
// code path: UTF-8 byte offsets, end exclusive, and a token holding part of a
// multi-byte character reports the whole character's span.
// decode: one JSON array of ids per line -> one JSON string per line; invalid UTF-8 is
// replaced by U+FFFD (WHATWG decoder, maximal-subpart rule like Rust's from_utf8_lossy);
// ignoreBOM keeps a leading U+FEFF, which the WHATWG decoder would otherwise drop.
'use strict';

const fs = require('fs');
const { Tiktoken } = require('tiktoken/lite');

function die(msg) {
  process.stderr.write(`tiktoken_ref: ${msg}\n`);
  process.exit(2);
}

function load(ranksFile, metaFile) {
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  return new Tiktoken(fs.readFileSync(ranksFile, 'utf8'), meta.special_tokens, meta.pat_str);
}

function lines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
}

// Byte offsets with whole-character spans: starts[b] = first byte of the character
// containing byte b, ends[b] = one past its last byte.
function charSpans(bytes) {
  const starts = new Uint32Array(bytes.length);
  const ends = new Uint32Array(bytes.length);
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const n = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    for (let k = 0; k < n; k++) {
      starts[i + k] = i;
      ends[i + k] = i + n;
    }
    i += n;
  }
  return { starts, ends };
}

function main() {
  const [cmd, ranks, meta, ...rest] = process.argv.slice(2);
  if (!cmd || !ranks || !meta) die('usage: encode|decode RANKS META [--offsets] FILE');
  const offsets = rest.includes('--offsets');
  const files = rest.filter((a) => a !== '--offsets');
  if (files.length !== 1) die('exactly one input file');
  const enc = load(ranks, meta);
  const te = new TextEncoder();
  const td = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  const out = [];
  const flush = () => {
    if (out.length) process.stdout.write(out.join(''));
    out.length = 0;
  };
  for (const line of lines(files[0])) {
    const v = JSON.parse(line);
    if (cmd === 'encode') {
      if (typeof v !== 'string') die('encode input lines must be JSON strings');
      const ids = Array.from(enc.encode(v, 'all'));
      if (!offsets) {
        out.push(JSON.stringify(ids) + '\n');
      } else {
        const bytes = te.encode(v);
        const { starts, ends } = charSpans(bytes);
        let pos = 0;
        const triples = ids.map((id) => {
          const len = enc.decode_single_token_bytes(id).length;
          const t = len === 0 ? [id, pos, pos] : [id, starts[pos], ends[pos + len - 1]];
          pos += len;
          return t;
        });
        if (pos !== bytes.length) die(`token bytes (${pos}) do not cover the text (${bytes.length})`);
        out.push(JSON.stringify(triples) + '\n');
      }
    } else if (cmd === 'decode') {
      if (!Array.isArray(v)) die('decode input lines must be JSON arrays');
      out.push(JSON.stringify(td.decode(enc.decode(Uint32Array.from(v)))) + '\n');
    } else {
      die(`unknown command ${cmd}`);
    }
    if (out.length >= 256) flush();
  }
  flush();
  enc.free();
}

main();
