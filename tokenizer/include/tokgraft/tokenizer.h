// tokgraft tokenizer engine: text <-> token ids for published tokenizers
// (Hugging Face tokenizer.json BPE, tiktoken rank files, sentencepiece .model).
#ifndef TOKGRAFT_TOKENIZER_H_
#define TOKGRAFT_TOKENIZER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace tokgraft {

// A half-open byte range [begin, end) into the text given to Encode.
struct ByteSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const ByteSpan& o) const { return begin == o.begin && end == o.end; }
};

struct EncodeOptions {
  // Apply the post-processor's template (BOS and the like).
  bool add_special_tokens = false;
  // Fill Encoding::offsets. Off by default: it costs time and memory.
  bool with_offsets = false;
  // Treat the text of special tokens as plain text instead of matching it.
  bool split_special_tokens = false;
  // Fill Encoding::pretoken_ids. Sentencepiece .model files refuse it (their
  // pre-tokenization is internal to libsentencepiece).
  bool with_pretoken_ids = false;
  // BPE-dropout: each merge is skipped with this probability, in [0, 1], and
  // skipped merges are tried again after the next merge that happens, as in
  // the reference. Above 0 it overrides a tokenizer.json's model.dropout and
  // bypasses ignore_merges and the piece cache; 1 leaves every character (byte
  // in byte-level models) alone. Sentencepiece .model files refuse it.
  double dropout = 0;
  // Seeds the dropout's std::mt19937_64, started afresh for each text: the
  // same text, options and seed give the same ids.
  uint64_t dropout_seed = 0;
};

struct Encoding {
  std::vector<uint32_t> ids;
  // Same length as ids when EncodeOptions::with_offsets, else empty. Offsets
  // follow the reference: a token holding part of a multi-byte character
  // spans the whole character; special tokens added by the template are {0,0}.
  std::vector<ByteSpan> offsets;
  // Same length as ids when EncodeOptions::with_pretoken_ids, else empty: the
  // index of the pre-token each token comes from (Hugging Face's word_ids),
  // counting from 0 through the text. An added token is a pre-token of its
  // own; tokens of the post-processor's template get kNoPreToken.
  std::vector<uint32_t> pretoken_ids;
};

inline constexpr uint32_t kNoPreToken = UINT32_MAX;

struct SpecialTokenInfo {
  uint32_t id = 0;
  std::string content;
  bool special = true;
};

// Read-only facts about a loaded tokenizer, for `tokgraft info` and reports.
struct TokenizerInfo {
  std::string format;      // "tokenizer.json", "tiktoken", "sentencepiece"
  std::string model_type;  // "BPE", "Unigram", ...
  size_t vocab_size = 0;   // ids 0..vocab_size-1 may exist (max id + 1)
  bool byte_level = false;  // BPE over bytes (tokens written in GPT-2's byte alphabet)
  std::vector<std::string> pipeline;  // one line per stage, e.g. "normalizer: NFC"
  std::vector<SpecialTokenInfo> added_tokens;
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Fails on invalid UTF-8 input and on options out of range.
  virtual absl::StatusOr<Encoding> Encode(std::string_view text,
                                          const EncodeOptions& options = {}) const = 0;

  // Exact bytes of the ids (the decoder pipeline applied). The result may be
  // invalid UTF-8 if the ids split a character; see DecodeToValidUtf8.
  virtual absl::StatusOr<std::string> Decode(absl::Span<const uint32_t> ids,
                                             bool skip_special_tokens = false) const = 0;

  // Encodes texts on up to `threads` threads; results keep the input order.
  // With dropout, text i is encoded with seed dropout_seed + i, so that texts
  // draw differently and the result does not depend on `threads`.
  absl::StatusOr<std::vector<Encoding>> EncodeBatch(const std::vector<std::string_view>& texts,
                                                    const EncodeOptions& options,
                                                    int threads) const;

  // Calls visit(piece) for every piece the model would encode: the text
  // normalized and pre-tokenized, as the model sees it (byte-level models: raw
  // bytes; others: normalized text, e.g. spaces as U+2581). Added tokens are
  // not matched (their text is plain text here). Fails on invalid UTF-8;
  // sentencepiece .model files refuse it (their pre-tokenization is internal).
  virtual absl::Status PreTokenize(std::string_view text,
                                   const std::function<void(std::string_view)>& visit) const;

  // Token string as written in the tokenizer file (e.g. "Ġthe", "▁the").
  virtual std::optional<uint32_t> TokenToId(std::string_view token) const = 0;
  virtual std::optional<std::string> IdToToken(uint32_t id) const = 0;
  // The raw bytes a token stands for ("Ġthe" -> " the", "<0x0A>" -> "\n").
  virtual std::optional<std::string> IdToBytes(uint32_t id) const = 0;

  virtual TokenizerInfo Info() const = 0;

  // Building blocks for reasoning about encodings exactly (bytes/). Both
  // return Unimplemented for sentencepiece .model files.
  //
  // The pre-token spans of `text` (valid UTF-8), as Encode with
  // split_special_tokens = true cuts it; a matched non-special added token
  // is a span of its own. Fails with FailedPrecondition if the tokenizer has
  // a normalizer or its pre-tokenizer rewrites the text (Metaspace, a prefix
  // space), since spans would then not be spans of `text`.
  virtual absl::StatusOr<std::vector<ByteSpan>> PreTokenSpans(std::string_view text) const;
  // The model alone (no normalizer, pre-tokenizer or added tokens) on the
  // bytes of one pre-token; byte-level models take any bytes.
  virtual absl::StatusOr<std::vector<uint32_t>> EncodePiece(std::string_view piece) const;
};

// Replaces invalid UTF-8 sequences by U+FFFD the way the reference does
// (Rust's String::from_utf8_lossy).
std::string ToValidUtf8Lossy(std::string_view bytes);

struct LoadOptions {
  // For .tiktoken files: r50k_base, p50k_base, cl100k_base or o200k_base.
  // Empty: derived from the file name.
  std::string tiktoken_pattern;
};

// PATH: a tokenizer.json, a .tiktoken rank file, a sentencepiece .model, or a
// model folder holding tokenizer.json (or tokenizer.model).
absl::StatusOr<std::unique_ptr<Tokenizer>> LoadTokenizer(const std::string& path,
                                                         const LoadOptions& options = {});

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_H_
