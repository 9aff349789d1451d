// Text being normalized and pre-tokenized, together with where each of its
// bytes came from in the caller's original text.
//
// The alignment follows the reference (HF NormalizedString): every byte maps to
// the original span of the *character* it came from, so a byte-level token
// that holds part of a multi-byte character maps to the whole character.
// Tracking is optional: without offsets requested, nobody pays for it.
#ifndef TOKGRAFT_TOKENIZER_ALIGNED_STRING_H_
#define TOKGRAFT_TOKENIZER_ALIGNED_STRING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokgraft/tokenizer.h"

namespace tokgraft {

class AlignedString {
 public:
  AlignedString() = default;
  // `text` taken as is; when `track`, its bytes map to the original characters
  // at [base, base + text.size()).
  AlignedString(std::string_view text, uint32_t base, bool track);

  const std::string& text() const { return text_; }
  size_t size() const { return text_.size(); }
  bool empty() const { return text_.empty(); }
  bool tracked() const { return tracked_; }

  // Original span of the character holding byte i. Requires tracked().
  ByteSpan Origin(size_t i) const;
  // Original span of bytes [begin, end), begin < end. Requires tracked().
  ByteSpan OriginOf(size_t begin, size_t end) const;
  // Base offset of an empty string (where an insertion at its start maps).
  uint32_t base() const { return base_; }

 private:
  // Origin of byte i under the identity alignment: its character's own span.
  ByteSpan IdentityOrigin(size_t i) const;

  friend class AlignedStringBuilder;
  std::string text_;
  bool tracked_ = false;
  // Per byte origin; empty while the alignment is the identity from base_.
  std::vector<ByteSpan> origin_;
  uint32_t base_ = 0;
};

// Builds a transformed AlignedString piece by piece. Copies keep their origins;
// new text takes the origin it is given.
class AlignedStringBuilder {
 public:
  explicit AlignedStringBuilder(const AlignedString& source);

  // Appends source bytes [begin, end) with their own origins.
  void Copy(size_t begin, size_t end);
  // Appends `bytes`, all mapping to `origin` (ignored when not tracked).
  void Insert(std::string_view bytes, ByteSpan origin);
  // The reference's rule for characters that replace source characters:
  // `bytes` map to the origin of the source character starting at
  // `source_byte`.
  void AppendReplacing(std::string_view bytes, size_t source_byte);
  // The reference's rule for characters that replace nothing: `bytes` map to
  // the origin of source byte `source_end - 1` (the last one consumed before
  // them), or to the empty span at base() when source_end is 0.
  void AppendInserted(std::string_view bytes, size_t source_end);
  const std::string& text() const { return out_.text_; }
  AlignedString Finish() &&;

 private:
  // Gives up the implicit identity alignment: writes out the origins of the
  // bytes appended so far.
  void MaterializeOrigins();
  void AppendWithOrigin(std::string_view bytes, ByteSpan origin);

  const AlignedString& source_;
  AlignedString out_;
  // True while out_ is still the identity from base(): every piece so far was
  // source text kept at its own position (so out_.origin_ stays empty).
  bool identity_;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_ALIGNED_STRING_H_
