// Pre-tokenizer stage: cuts normalized text into pieces that the model encodes
// independently; may rewrite text (Metaspace, ByteLevel's prefix space).
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZER_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZER_H_

#include <string>
#include <vector>

#include "aligned_string.h"

namespace tokgraft {

struct PreTokenized {
  AlignedString text;
  // Spans of `text`, in order, not overlapping. Bytes outside any piece were
  // removed (Split with behaviour Removed).
  std::vector<ByteSpan> pieces;
  // The text begins at the start of the caller's input (not after an added
  // token), which Metaspace's "first" prepend scheme needs to know.
  bool at_input_start = false;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  virtual void PreTokenize(PreTokenized* pre) const = 0;
  virtual std::string Describe() const = 0;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZER_H_
