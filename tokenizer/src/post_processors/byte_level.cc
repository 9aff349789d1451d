// ByteLevel post-processor: with trim_offsets, token offsets leave out the
// spaces at the token's edges, as the reference's process_offsets does. The
// reference (through its bindings) trims character offsets, so a count of
// spaces moves an offset by that many characters of the text, not bytes: a
// prefix space inserted before "É" shares É's span, and trimming it leaves an
// empty span.
#include "absl/strings/str_format.h"
#include "byte_level_alphabet.h"
#include "post_processor.h"
#include "utf8.h"

#include <unicode/uchar.h>

namespace tokgraft {
namespace {

bool IsSpaceChar(char32_t c) {
  return c == byte_level::ByteToChar(' ') || u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_WHITE_SPACE);
}

uint32_t NextChar(std::string_view text, uint32_t at) {
  return at + static_cast<uint32_t>(utf8::SequenceLength(static_cast<unsigned char>(text[at])));
}

uint32_t PreviousChar(std::string_view text, uint32_t at) {
  do {
    --at;
  } while (at > 0 && utf8::IsContinuation(static_cast<unsigned char>(text[at])));
  return at;
}

class ByteLevelPostProcessor : public PostProcessor {
 public:
  ByteLevelPostProcessor(bool add_prefix_space, bool trim_offsets)
      : add_prefix_space_(add_prefix_space), trim_offsets_(trim_offsets) {}

  void Process(std::string_view text, Encoding* encoding, const EncodeOptions& options,
               const std::vector<std::string>& token_strings) const override {
    if (!trim_offsets_ || !options.with_offsets) return;
    for (size_t i = 0; i < encoding->ids.size(); ++i) {
      const uint32_t id = encoding->ids[i];
      if (id >= token_strings.size()) continue;
      const std::string& token = token_strings[id];
      std::vector<char32_t> chars;
      size_t len;
      for (size_t k = 0; k < token.size(); k += len) chars.push_back(utf8::Decode(token, k, &len));
      size_t leading = 0;
      while (leading < chars.size() && IsSpaceChar(chars[leading])) ++leading;
      size_t trailing = 0;
      while (trailing < chars.size() && IsSpaceChar(chars[chars.size() - 1 - trailing])) ++trailing;
      ByteSpan& span = encoding->offsets[i];
      if (leading > 0) {
        const bool is_first = i == 0 || span.begin == 0;
        if (is_first && add_prefix_space_ && leading == 1) leading = 0;
        for (size_t k = 0; k < leading && span.begin < span.end; ++k) span.begin = NextChar(text, span.begin);
      }
      if (trailing > 0) {
        uint32_t end = span.end;
        size_t k = 0;
        for (; k < trailing && end > 0; ++k) end = PreviousChar(text, end);
        // As the reference: only when the span ends at least `trailing` characters in.
        if (k == trailing) span.end = std::max(end, span.begin);
      }
    }
  }

  std::string Describe() const override {
    return absl::StrFormat("ByteLevel(add_prefix_space=%s, trim_offsets=%s)",
                           add_prefix_space_ ? "true" : "false", trim_offsets_ ? "true" : "false");
  }

 private:
  bool add_prefix_space_;
  bool trim_offsets_;
};

}  // namespace

std::unique_ptr<PostProcessor> MakeByteLevelPostProcessor(bool add_prefix_space, bool trim_offsets) {
  return std::make_unique<ByteLevelPostProcessor>(add_prefix_space, trim_offsets);
}

}  // namespace tokgraft
