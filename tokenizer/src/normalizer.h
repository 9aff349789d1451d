// Normalizer stage: rewrites text before pre-tokenization, keeping alignment.
#ifndef TOKGRAFT_TOKENIZER_NORMALIZER_H_
#define TOKGRAFT_TOKENIZER_NORMALIZER_H_

#include <string>

#include "aligned_string.h"

namespace tokgraft {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void Normalize(AlignedString* text) const = 0;
  // One line for `tokgraft info`, e.g. "NFC" or "Replace(' ' -> '▁')".
  virtual std::string Describe() const = 0;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_NORMALIZER_H_
