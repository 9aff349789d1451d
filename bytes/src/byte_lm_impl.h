// Internals shared by the files of bytes/: the model's parts and the
// windowed LM state every method uses.
#ifndef TOKGRAFT_BYTES_BYTE_LM_IMPL_H_
#define TOKGRAFT_BYTES_BYTE_LM_IMPL_H_

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "encoding_rules.h"
#include "tokgraft/byte_lm.h"

namespace tokgraft {

struct ByteLM::Impl {
  const TokenLM* lm;
  const Tokenizer* tokenizer;
  uint32_t eos;
  ByteLMOptions options;
  std::unique_ptr<bytes_internal::EncodingRules> rules;
};

namespace bytes_internal {

inline constexpr double kNegInf = -std::numeric_limits<double>::infinity();

inline double LogAdd(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  return a > b ? a + std::log1p(std::exp(b - a)) : b + std::log1p(std::exp(a - b));
}

// The state after one more input under ScoreTokens' windows: a state that
// already holds `context` inputs is not extended; the input starts a new one.
// `from` may be null (start of the document). Fills the next-token log-probs.
inline absl::StatusOr<std::unique_ptr<LmState>> Extend(const TokenLM& lm, size_t context, const LmState* from,
                                                       uint32_t token, std::vector<float>* next) {
  std::unique_ptr<LmState> state =
      from == nullptr || (context > 0 && from->length() >= context) ? lm.NewState() : lm.Fork(*from);
  if (absl::Status s = lm.Append(state.get(), {token}, next); !s.ok()) return s;
  return state;
}

}  // namespace bytes_internal
}  // namespace tokgraft

#endif  // TOKGRAFT_BYTES_BYTE_LM_IMPL_H_
