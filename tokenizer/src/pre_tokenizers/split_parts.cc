#include "pre_tokenizers/split_parts.h"

#include <algorithm>

namespace tokgraft {

void PartsFromMatches(ByteSpan piece, const std::vector<ByteSpan>& matches, bool invert,
                      std::vector<SplitPart>* parts) {
  parts->clear();
  uint32_t at = piece.begin;
  for (const ByteSpan& m : matches) {
    if (at < m.begin) parts->push_back({{at, m.begin}, invert});
    parts->push_back({m, !invert});
    at = m.end;
  }
  if (at < piece.end || parts->empty()) parts->push_back({{at, piece.end}, invert});
}

void AppendPieces(const std::vector<SplitPart>& parts, SplitBehavior behavior,
                  std::vector<ByteSpan>* pieces) {
  thread_local std::vector<SplitPart> kept;
  kept.clear();
  bool previous_match = false;
  switch (behavior) {
    case SplitBehavior::kIsolated:
      for (const SplitPart& p : parts) kept.push_back({p.span, false});
      break;
    case SplitBehavior::kRemoved:
      kept = parts;  // matches are dropped below
      break;
    case SplitBehavior::kContiguous:
      for (const SplitPart& p : parts) {
        if (p.is_match == previous_match && !kept.empty()) {
          kept.back().span.end = p.span.end;
        } else {
          kept.push_back({p.span, false});
        }
        previous_match = p.is_match;
      }
      break;
    case SplitBehavior::kMergedWithPrevious:
      for (const SplitPart& p : parts) {
        if (p.is_match && !previous_match && !kept.empty()) {
          kept.back().span.end = p.span.end;
        } else {
          kept.push_back({p.span, false});
        }
        previous_match = p.is_match;
      }
      break;
    case SplitBehavior::kMergedWithNext:
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        if (it->is_match && !previous_match && !kept.empty()) {
          kept.back().span.begin = it->span.begin;
        } else {
          kept.push_back({it->span, false});
        }
        previous_match = it->is_match;
      }
      std::reverse(kept.begin(), kept.end());
      break;
  }
  for (const SplitPart& p : kept) {
    // With kRemoved, is_match marks a delimiter to drop.
    if (p.is_match || p.span.begin == p.span.end) continue;
    pieces->push_back(p.span);
  }
}

}  // namespace tokgraft
