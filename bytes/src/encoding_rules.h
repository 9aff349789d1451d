// What the tokenizer's structure says about encodings: the canonical encoding
// of arbitrary bytes, which tail token sequences are valid, and which prefix of
// a tail can no longer change (see byte_lm.h for the definitions).
#ifndef TOKGRAFT_BYTES_ENCODING_RULES_H_
#define TOKGRAFT_BYTES_ENCODING_RULES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::bytes_internal {

// Bytes of `s` from `begin` up to the first byte that cannot be part of valid
// UTF-8: returns that position, or s.size(). `incomplete_at` receives where a
// final character that is cut short begins (s.size() if none).
size_t ScanUtf8(std::string_view s, size_t begin, size_t* incomplete_at);

class EncodingRules {
 public:
  static absl::Status Check(const Tokenizer& tokenizer);
  static absl::StatusOr<std::unique_ptr<EncodingRules>> Create(const Tokenizer& tokenizer);

  size_t vocab_size() const { return token_bytes_.size(); }
  // Empty for tokens the model never produces (special and added tokens).
  const std::string& TokenBytes(uint32_t id) const { return token_bytes_[id]; }
  const std::vector<uint32_t>& TokensStartingWith(uint8_t byte) const { return by_first_byte_[byte]; }

  // Canon(bytes).
  absl::StatusOr<std::vector<uint32_t>> Canonical(std::string_view bytes) const;

  // The fixed part of a tail that begins at a fixed boundary: its length and
  // its tokens.
  struct Fixed {
    size_t length = 0;
    std::vector<uint32_t> tokens;
  };
  absl::StatusOr<Fixed> FixedPrefix(std::string_view tail) const;

  // Whether `tokens`, whose bytes are `tail`, are accepted as the beginning of
  // a valid encoding of a text continuing from a fixed boundary.
  bool AcceptTail(std::string_view tail, absl::Span<const uint32_t> tokens) const;

  // AcceptTail for `tokens` + [t], for many t after one accepted sequence.
  // When what follows the tail cannot move the boundaries before its last
  // pre-token (see EndIsOpen in the .cc), the answer depends only on that
  // pre-token, its tokens and t, and is cached by them across calls.
  class NextTokens {
   public:
    bool Accept(uint32_t t);

   private:
    friend class EncodingRules;
    NextTokens(const EncodingRules& rules, std::string_view tail, absl::Span<const uint32_t> tokens);
    const EncodingRules& rules_;
    std::string tail_;
    std::vector<uint32_t> tokens_;
    // Local mode: the last pre-token, its tokens, and the cache for them.
    bool local_ = false;
    std::string last_;
    std::vector<uint32_t> last_tokens_;
    absl::flat_hash_map<uint32_t, bool>* cache_ = nullptr;
    std::string scratch_;
  };
  NextTokens After(std::string_view tail, absl::Span<const uint32_t> tokens) const {
    return NextTokens(*this, tail, tokens);
  }

 private:
  explicit EncodingRules(const Tokenizer& tokenizer) : tokenizer_(tokenizer) {}
  bool AcceptValidUtf8Tail(std::string_view tail, absl::Span<const uint32_t> tokens) const;
  // Tokens match the model's encoding of every piece between `cuts`.
  bool MatchesPieces(std::string_view tail, absl::Span<const uint32_t> tokens,
                     const std::vector<uint32_t>& cuts) const;
  absl::StatusOr<std::vector<uint32_t>> EncodeValidRun(std::string_view run) const;

  const Tokenizer& tokenizer_;
  std::vector<std::string> token_bytes_;
  std::vector<uint32_t> by_first_byte_[256];
  uint32_t byte_token_[256] = {};
  // NextTokens' answers, by last pre-token and its tokens.
  mutable absl::flat_hash_map<std::string, absl::flat_hash_map<uint32_t, bool>> next_cache_;
  mutable size_t next_cache_entries_ = 0;
};

}  // namespace tokgraft::bytes_internal

#endif  // TOKGRAFT_BYTES_ENCODING_RULES_H_
