#include "aligned_string.h"

#include "utf8.h"

namespace tokgraft {
namespace {

// Appends the identity origins of text[begin, end), begin on a character
// boundary: each byte maps to its character's span shifted by `base`.
void AppendIdentityOrigins(const std::string& text, size_t begin, size_t end, uint32_t base,
                           std::vector<ByteSpan>* origins) {
  for (size_t i = begin; i < end;) {
    size_t len = utf8::SequenceLength(static_cast<unsigned char>(text[i]));
    ByteSpan span{base + static_cast<uint32_t>(i), base + static_cast<uint32_t>(i + len)};
    origins->insert(origins->end(), len, span);
    i += len;
  }
}

}  // namespace

AlignedString::AlignedString(std::string_view text, uint32_t base, bool track)
    : text_(text), tracked_(track), base_(base) {}

ByteSpan AlignedString::IdentityOrigin(size_t i) const {
  size_t start = i;
  while (start > 0 && utf8::IsContinuation(static_cast<unsigned char>(text_[start]))) --start;
  size_t len = utf8::SequenceLength(static_cast<unsigned char>(text_[start]));
  return {base_ + static_cast<uint32_t>(start), base_ + static_cast<uint32_t>(start + len)};
}

ByteSpan AlignedString::Origin(size_t i) const {
  return origin_.empty() ? IdentityOrigin(i) : origin_[i];
}

ByteSpan AlignedString::OriginOf(size_t begin, size_t end) const {
  return {Origin(begin).begin, Origin(end - 1).end};
}

AlignedStringBuilder::AlignedStringBuilder(const AlignedString& source)
    : source_(source), identity_(source.tracked_ && source.origin_.empty()) {
  out_.tracked_ = source.tracked_;
  out_.base_ = source.base_;
  out_.text_.reserve(source.size());
}

void AlignedStringBuilder::MaterializeOrigins() {
  identity_ = false;
  out_.origin_.reserve(source_.size());
  AppendIdentityOrigins(out_.text_, 0, out_.text_.size(), out_.base_, &out_.origin_);
}

void AlignedStringBuilder::AppendWithOrigin(std::string_view bytes, ByteSpan origin) {
  if (identity_ && !bytes.empty()) MaterializeOrigins();
  out_.text_.append(bytes);
  if (out_.tracked_ && !identity_) out_.origin_.insert(out_.origin_.end(), bytes.size(), origin);
}

void AlignedStringBuilder::Copy(size_t begin, size_t end) {
  if (begin == end) return;
  if (identity_ && begin != out_.text_.size()) MaterializeOrigins();
  out_.text_.append(source_.text_, begin, end - begin);
  if (!out_.tracked_ || identity_) return;
  if (source_.origin_.empty()) {
    AppendIdentityOrigins(source_.text_, begin, end, source_.base_, &out_.origin_);
  } else {
    out_.origin_.insert(out_.origin_.end(), source_.origin_.begin() + begin,
                        source_.origin_.begin() + end);
  }
}

void AlignedStringBuilder::Insert(std::string_view bytes, ByteSpan origin) {
  AppendWithOrigin(bytes, origin);
}

void AlignedStringBuilder::AppendReplacing(std::string_view bytes, size_t source_byte) {
  if (!out_.tracked_) {
    out_.text_.append(bytes);
    return;
  }
  // One character of the same length, at the same place, replacing one keeps
  // the identity: its origin is its own span either way.
  if (identity_ && source_byte == out_.text_.size() && !bytes.empty()) {
    size_t len = utf8::SequenceLength(static_cast<unsigned char>(bytes[0]));
    if (len == bytes.size() &&
        len == utf8::SequenceLength(static_cast<unsigned char>(source_.text_[source_byte]))) {
      out_.text_.append(bytes);
      return;
    }
  }
  AppendWithOrigin(bytes, source_.Origin(source_byte));
}

void AlignedStringBuilder::AppendInserted(std::string_view bytes, size_t source_end) {
  if (!out_.tracked_) {
    out_.text_.append(bytes);
    return;
  }
  ByteSpan origin = source_end == 0 ? ByteSpan{source_.base_, source_.base_}
                                    : source_.Origin(source_end - 1);
  AppendWithOrigin(bytes, origin);
}

AlignedString AlignedStringBuilder::Finish() && { return std::move(out_); }

}  // namespace tokgraft
