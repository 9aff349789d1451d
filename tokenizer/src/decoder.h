// Decoder stage: turns token strings back into text, as the reference's
// decode_chain does (each decoder maps the list of token strings to a new list).
#ifndef TOKGRAFT_TOKENIZER_DECODER_H_
#define TOKGRAFT_TOKENIZER_DECODER_H_

#include <string>
#include <vector>

namespace tokgraft {

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Strings may hold arbitrary bytes after ByteLevel or ByteFallback.
  virtual void DecodeChain(std::vector<std::string>* tokens) const = 0;
  virtual std::string Describe() const = 0;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_DECODER_H_
