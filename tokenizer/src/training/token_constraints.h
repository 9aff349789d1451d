// Which merges the trainer may make: limits on the token a pair would form
// (length, words spanned, no ": " inside). Decided from small per-token
// summaries, so checking a pair costs no string work.
#ifndef TOKGRAFT_TOKENIZER_TRAINING_TOKEN_CONSTRAINTS_H_
#define TOKGRAFT_TOKENIZER_TRAINING_TOKEN_CONSTRAINTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tokgraft/trainer.h"

namespace tokgraft {

class TokenConstraints {
 public:
  // `tokens`/`units`: the trainer's growing vocabulary (model strings and
  // lengths in alphabet units), read as new tokens appear.
  TokenConstraints(const BpeTrainerOptions& options, bool byte_level, const std::vector<std::string>& tokens,
                   const std::vector<uint32_t>& units);

  // False when no constraint is set (the trainer then skips checking).
  bool active() const { return max_length_ > 0 || max_words_ > 0 || forbid_colon_space_; }
  bool Allows(uint32_t left, uint32_t right);

 private:
  // What a token's bytes look like at its edges and how many words it holds.
  struct Summary {
    uint32_t words = 0;           // maximal runs of non-space bytes
    bool starts_with_space = false;
    bool ends_with_space = false;
    bool starts_with_space_byte = false;  // ' ' exactly (for ": ")
    bool ends_with_colon = false;
    bool has_colon_space = false;
  };
  const Summary& SummaryOf(uint32_t id);

  size_t max_length_;
  size_t max_words_;
  bool forbid_colon_space_;
  bool byte_level_;
  const std::vector<std::string>& tokens_;
  const std::vector<uint32_t>& units_;
  std::vector<Summary> summaries_;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_TRAINING_TOKEN_CONSTRAINTS_H_
