// A tokenizer assembled from stages, as tokenizer.json describes one:
// added tokens -> normalizer -> pre-tokenizer -> BPE model -> post-processor,
// and a decoder for the way back. Loaders build it; tiktoken files become one too.
#ifndef TOKGRAFT_TOKENIZER_PIPELINE_TOKENIZER_H_
#define TOKGRAFT_TOKENIZER_PIPELINE_TOKENIZER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "added_vocabulary.h"
#include "decoder.h"
#include "models/bpe_model.h"
#include "normalizer.h"
#include "post_processor.h"
#include "pre_tokenizer.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {

struct PipelineParts {
  std::string format;
  std::unique_ptr<Normalizer> normalizer;       // optional
  std::unique_ptr<PreTokenizer> pre_tokenizer;  // optional
  std::unique_ptr<BpeModel> model;
  std::unique_ptr<PostProcessor> post_processor;  // optional
  std::unique_ptr<Decoder> decoder;               // optional: tokens joined by spaces
  std::vector<AddedToken> added_tokens;
  // The model's tokens as written in the file ("Ġthe"), indexed by id; empty
  // where no token has the id.
  std::vector<std::string> model_tokens;
  // Byte-level vocabularies only: tokens whose strings are not in the byte
  // alphabet (so the model cannot produce them), by string.
  absl::flat_hash_map<std::string, uint32_t> unreachable_tokens;
};

class PipelineTokenizer : public Tokenizer {
 public:
  static absl::StatusOr<std::unique_ptr<PipelineTokenizer>> Create(PipelineParts parts);

  absl::StatusOr<Encoding> Encode(std::string_view text, const EncodeOptions& options) const override;
  absl::StatusOr<std::string> Decode(absl::Span<const uint32_t> ids,
                                     bool skip_special_tokens) const override;
  absl::Status PreTokenize(std::string_view text,
                           const std::function<void(std::string_view)>& visit) const override;
  std::optional<uint32_t> TokenToId(std::string_view token) const override;
  std::optional<std::string> IdToToken(uint32_t id) const override;
  std::optional<std::string> IdToBytes(uint32_t id) const override;
  TokenizerInfo Info() const override;
  absl::StatusOr<std::vector<ByteSpan>> PreTokenSpans(std::string_view text) const override;
  absl::StatusOr<std::vector<uint32_t>> EncodePiece(std::string_view piece) const override;

 private:
  explicit PipelineTokenizer(PipelineParts parts);
  // Encodes normalized text that holds no added token.
  void EncodeNormalized(PreTokenized pre, const EncodeOptions& options, const MergeDropout* dropout,
                        Encoding* out) const;

  PipelineParts parts_;
  AddedTokenMatcher raw_added_;         // tokens with normalized = false
  AddedTokenMatcher normalized_added_;  // tokens with normalized = true
  std::vector<std::string> token_strings_;  // by id; added tokens' content wins
  enum class TokenKind : uint8_t { kModel, kAdded, kSpecial };
  std::vector<TokenKind> kinds_;  // by id
  absl::flat_hash_map<std::string, uint32_t> added_ids_;  // by content
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_PIPELINE_TOKENIZER_H_
