#include "absl/strings/str_format.h"
#include "tokgraft/lm.h"

namespace tokgraft {
namespace {

struct BigramState : LmState {
  std::vector<uint32_t> tokens;
  size_t length() const override { return tokens.size(); }
};

}  // namespace

BigramTableLM::BigramTableLM(std::vector<float> initial, std::vector<float> next)
    : initial_(std::move(initial)), next_(std::move(next)) {}

std::unique_ptr<LmState> BigramTableLM::NewState() const { return std::make_unique<BigramState>(); }

std::unique_ptr<LmState> BigramTableLM::Fork(const LmState& state) const {
  return std::make_unique<BigramState>(static_cast<const BigramState&>(state));
}

absl::Status BigramTableLM::Append(LmState* state, absl::Span<const uint32_t> tokens,
                                   std::vector<float>* logprobs) const {
  const size_t vocab = initial_.size();
  for (uint32_t id : tokens) {
    if (id >= vocab) {
      return absl::InvalidArgumentError(absl::StrFormat("token id %d is outside the vocabulary (%d)", id, vocab));
    }
  }
  auto& history = static_cast<BigramState*>(state)->tokens;
  if (logprobs) logprobs->clear();
  for (uint32_t id : tokens) {
    history.push_back(id);
    if (logprobs) logprobs->insert(logprobs->end(), next_.begin() + id * vocab, next_.begin() + (id + 1) * vocab);
  }
  return absl::OkStatus();
}

}  // namespace tokgraft
