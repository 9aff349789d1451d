// StochasTok (Sims et al., 2025): after normal encoding, randomly split some
// tokens into two tokens of the same vocabulary whose bytes concatenate to
// the original's, so that a model sees the insides of its tokens.
#ifndef TOKGRAFT_STOCHASTOK_H_
#define TOKGRAFT_STOCHASTOK_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {

struct StochasTokOptions {
  // floor(probability * n) split attempts for a sequence of n tokens; in [0, 1].
  double probability = 0.1;
  // At most this many attempts (the paper's max_num_to_expand).
  std::optional<size_t> max_expansions;
  // Seeds a std::mt19937_64; a position is drawn as rng() % length.
  uint64_t seed = 0;
};

class StochasTok {
 public:
  // Precomputes every token's splits: pairs (a, b) of vocabulary tokens with
  // bytes(a) + bytes(b) == bytes(token). Added tokens (special or not) are
  // never split and never parts of a split: the tokenizer matches them on
  // their text before the model, so they do not take part in its merges.
  // Where several ids have the same bytes (a byte-fallback "<0x41>" and "A"),
  // a split uses the one whose token string is shortest, then the lowest id.
  static StochasTok Create(const Tokenizer& tokenizer);

  // Makes the attempts: each picks a position uniformly over the current,
  // growing sequence and, if the token there has splits, replaces it by one
  // of them, chosen uniformly (rng() % count). The bytes of the sequence do
  // not change. Fails only when options.probability is not in [0, 1].
  absl::StatusOr<std::vector<uint32_t>> Expand(absl::Span<const uint32_t> ids,
                                               const StochasTokOptions& options) const;

  // The splits of `id`, empty for tokens that have none.
  absl::Span<const std::pair<uint32_t, uint32_t>> Splits(uint32_t id) const;

 private:
  StochasTok() = default;

  // Splits of id i are splits_[first_split_[i] .. first_split_[i + 1]).
  std::vector<size_t> first_split_;
  std::vector<std::pair<uint32_t, uint32_t>> splits_;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_STOCHASTOK_H_
