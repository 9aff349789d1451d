// For pre-tokenizers that change the text of pieces (Metaspace, ByteLevel's
// prefix space): rebuilds the text piece by piece, keeping the alignment.
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_REWRITE_PIECES_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_REWRITE_PIECES_H_

#include <vector>

#include "pre_tokenizer.h"

namespace tokgraft {

// `rewrite(builder, piece)` appends the new text of `piece`; it becomes one
// piece (dropped if empty). Bytes between pieces are dropped.
template <typename Rewrite>
void RewritePieces(PreTokenized* pre, Rewrite rewrite) {
  AlignedStringBuilder builder(pre->text);
  std::vector<ByteSpan> pieces;
  pieces.reserve(pre->pieces.size());
  for (const ByteSpan& piece : pre->pieces) {
    const uint32_t begin = static_cast<uint32_t>(builder.text().size());
    rewrite(builder, piece);
    const uint32_t end = static_cast<uint32_t>(builder.text().size());
    if (end > begin) pieces.push_back({begin, end});
  }
  pre->text = std::move(builder).Finish();
  pre->pieces = std::move(pieces);
}

// Where text inserted before byte i maps: the origin of the character there,
// as the reference's prepend does.
inline ByteSpan InsertionOrigin(const AlignedString& text, size_t i) {
  return text.tracked() ? text.Origin(i) : ByteSpan{};
}

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_REWRITE_PIECES_H_
