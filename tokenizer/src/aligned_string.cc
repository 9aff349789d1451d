#include "aligned_string.h"

#include <algorithm>

#include "utf8.h"

namespace tokgraft {
namespace {

// Appends the identity origins of text[begin, end), begin on a character
// boundary: each byte maps to its character's span shifted by `base`.
void AppendIdentityOrigins(const std::string& text, size_t begin, size_t end, uint32_t base,
                           std::vector<ByteSpan>* origins) {
  for (size_t i = begin; i < end;) {
    const uint32_t at = base + static_cast<uint32_t>(i);
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      origins->push_back({at, at + 1});
      ++i;
      continue;
    }
    const size_t len = utf8::SequenceLength(lead);
    const ByteSpan span{at, at + static_cast<uint32_t>(len)};
    for (size_t k = 0; k < len; ++k) origins->push_back(span);
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
  out_.origin_.reserve(std::max(source_.size(), out_.text_.capacity()));
  AppendIdentityOrigins(out_.text_, 0, out_.text_.size(), out_.base_, &out_.origin_);
}

void AlignedStringBuilder::AppendWithOrigin(std::string_view bytes, ByteSpan origin) {
  if (identity_ && !bytes.empty()) MaterializeOrigins();
  out_.text_.append(bytes);
  if (!out_.tracked_ || identity_) return;
  for (size_t i = 0; i < bytes.size(); ++i) out_.origin_.push_back(origin);
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
