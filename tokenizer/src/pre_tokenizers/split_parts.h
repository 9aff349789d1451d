// Shared machinery of the splitting pre-tokenizers: a piece is first cut into
// alternating non-matching and matching parts, then the behaviour decides
// which parts become pieces (the reference's NormalizedString::split).
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_SPLIT_PARTS_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_SPLIT_PARTS_H_

#include <vector>

#include "pre_tokenizers/pre_tokenizers.h"

namespace tokgraft {

struct SplitPart {
  ByteSpan span;
  bool is_match;
};

// Turns the sorted, non-overlapping `matches` inside `piece` into the parts
// that cover it. `invert` swaps matches and non-matches.
void PartsFromMatches(ByteSpan piece, const std::vector<ByteSpan>& matches, bool invert,
                      std::vector<SplitPart>* parts);

// Appends the non-empty pieces that `behavior` makes of `parts`.
void AppendPieces(const std::vector<SplitPart>& parts, SplitBehavior behavior,
                  std::vector<ByteSpan>* pieces);

// Splits every piece of `pre` with `find` (matches relative to the piece's
// start) and `behavior`.
template <typename FindMatches>
void SplitEachPiece(PreTokenized* pre, SplitBehavior behavior, bool invert, FindMatches find) {
  thread_local std::vector<ByteSpan> matches;
  thread_local std::vector<SplitPart> parts;
  std::vector<ByteSpan> pieces;
  // Typical pieces are a few bytes long; reserving avoids regrowth.
  pieces.reserve(pre->pieces.size() + pre->text.size() / 3);
  const std::string& text = pre->text.text();
  for (const ByteSpan& piece : pre->pieces) {
    matches.clear();
    find(std::string_view(text).substr(piece.begin, piece.end - piece.begin), &matches);
    for (ByteSpan& m : matches) {
      m.begin += piece.begin;
      m.end += piece.begin;
    }
    PartsFromMatches(piece, matches, invert, &parts);
    AppendPieces(parts, behavior, &pieces);
  }
  pre->pieces = std::move(pieces);
}

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_SPLIT_PARTS_H_
