// Fuzzes encoding and decoding with real pipelines: the demo tokenizer
// (byte-level, Digits), and a sentencepiece-style one with byte fallback
// (normalizer, Metaspace, added tokens), plus $TOKGRAFT_FUZZ_TOKENIZER if set.
// Arbitrary bytes (often invalid UTF-8) must encode or fail cleanly, offsets
// must lie inside the text, and ids must decode.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "loaders/loaders.h"
#include "tokgraft/tokenizer.h"

namespace {

const char kMetaspaceTokenizer[] = R"({
  "added_tokens": [{"id": 0, "content": "<unk>", "special": true},
                   {"id": 1, "content": "<s>", "special": true, "lstrip": true, "rstrip": true},
                   {"id": 2, "content": "ab", "special": false, "normalized": true, "single_word": true}],
  "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"},
                 {"type": "Strip", "strip_left": true, "strip_right": false}]},
  "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true},
                    {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": true}]},
  "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
  "decoder": {"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
              {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
  "model": {"type": "BPE", "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": true,
            "vocab": {"<unk>": 0, "<s>": 1, "ab": 2, "a": 3, "b": 4, "c": 5, "\u2581": 6, "\u2581a": 7, "<0x00>": 8,
                      "<0xC3>": 9, "<0xA9>": 10, "1": 11, "\u2581ab": 12},
            "merges": ["\u2581 a", "a b", "\u2581a b"]}
})";

std::vector<std::unique_ptr<tokgraft::Tokenizer>> LoadAll() {
  std::vector<std::unique_ptr<tokgraft::Tokenizer>> all;
  auto add = [&](absl::StatusOr<std::unique_ptr<tokgraft::Tokenizer>> tok) {
    if (!tok.ok()) {
      std::fprintf(stderr, "fuzz_encode: %s\n", std::string(tok.status().message()).c_str());
      std::abort();
    }
    all.push_back(*std::move(tok));
  };
  add(tokgraft::LoadTokenizer(TOKGRAFT_SOURCE_DIR "/data/demo-tokenizer.json"));
  add(tokgraft::ParseHfTokenizerJson(kMetaspaceTokenizer, "metaspace"));
  if (const char* extra = std::getenv("TOKGRAFT_FUZZ_TOKENIZER")) add(tokgraft::LoadTokenizer(extra));
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* tokenizers = new std::vector<std::unique_ptr<tokgraft::Tokenizer>>(LoadAll());
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& tok : *tokenizers) {
    for (bool split_special : {false, true}) {
      tokgraft::EncodeOptions options;
      options.with_offsets = true;
      options.add_special_tokens = !split_special;
      options.split_special_tokens = split_special;
      auto enc = tok->Encode(text, options);
      if (!enc.ok()) continue;  // invalid UTF-8
      if (enc->offsets.size() != enc->ids.size()) std::abort();
      for (const tokgraft::ByteSpan& s : enc->offsets) {
        if (s.begin > s.end || s.end > size) std::abort();
      }
      if (!tok->Decode(enc->ids).ok()) std::abort();
    }
  }
  // The same bytes read as ids must decode or be refused, never crash.
  std::vector<uint32_t> ids;
  for (size_t i = 0; i + 1 < size; i += 2) ids.push_back(static_cast<uint32_t>(data[i] | (data[i + 1] << 8)) % 2100);
  for (const auto& tok : *tokenizers) (void)tok->Decode(ids);
  return 0;
}
