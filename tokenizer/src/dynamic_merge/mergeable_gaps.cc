#include "dynamic_merge/mergeable_gaps.h"

#include <unicode/uchar.h>

#include <optional>
#include <string>
#include <string_view>

#include "utf8.h"

namespace tokgraft {
namespace {

bool IsWordCharacter(char32_t c, bool hyphen_joins) {
  if (hyphen_joins && (c == U'-' || c == 0x2010)) return true;
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK | U_GC_PC_MASK)) != 0;
}

// The character of `length` bytes at `at`, if they are one well-formed sequence.
std::optional<char32_t> CharacterAt(std::string_view text, size_t at, size_t length) {
  if (length == 0 || at + length > text.size() || utf8::SequenceLength(static_cast<unsigned char>(text[at])) != length) {
    return std::nullopt;
  }
  for (size_t k = 1; k < length; ++k) {
    if (!utf8::IsContinuation(static_cast<unsigned char>(text[at + k]))) return std::nullopt;
  }
  size_t len;
  return utf8::Decode(text, at, &len);
}

// Whether byte offset `at` (0 < at < text.size()) lies inside a word.
bool InsideWord(std::string_view text, size_t at, bool hyphen_joins) {
  // Tokens that cut a character in two (byte-level vocabularies) join it back.
  if (utf8::IsContinuation(static_cast<unsigned char>(text[at]))) return true;
  size_t start = at - 1;
  while (start > 0 && at - start < 4 && utf8::IsContinuation(static_cast<unsigned char>(text[start]))) --start;
  const std::optional<char32_t> before = CharacterAt(text, start, at - start);
  const std::optional<char32_t> after =
      CharacterAt(text, at, utf8::SequenceLength(static_cast<unsigned char>(text[at])));
  return before && after && IsWordCharacter(*before, hyphen_joins) && IsWordCharacter(*after, hyphen_joins);
}

}  // namespace

absl::StatusOr<std::vector<bool>> MergeableGaps(const Encoding& encoding, MergeBoundary boundary,
                                                BaseVocabulary* vocabulary) {
  const std::vector<uint32_t>& ids = encoding.ids;
  std::vector<bool> gaps(ids.size(), false);
  if (boundary == MergeBoundary::kPreToken && encoding.pretoken_ids.size() != ids.size()) {
    return absl::InvalidArgumentError(
        "pretoken boundaries need the encodings' pre-token ids (EncodeOptions::with_pretoken_ids)");
  }
  // Word modes look at the characters on both sides of each gap in the text
  // the tokens spell; `ends[i]` is where token i ends in it.
  std::string text;
  std::vector<size_t> ends(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    absl::StatusOr<const std::string*> bytes = vocabulary->Bytes(ids[i]);
    if (!bytes.ok()) return bytes.status();
    if (boundary == MergeBoundary::kWord || boundary == MergeBoundary::kWordHyphen) text += **bytes;
    ends[i] = text.size();
  }
  for (size_t i = 1; i < ids.size(); ++i) {
    if (vocabulary->IsSpecial(ids[i - 1]) || vocabulary->IsSpecial(ids[i])) continue;
    switch (boundary) {
      case MergeBoundary::kPreToken:
        gaps[i] = encoding.pretoken_ids[i] != kNoPreToken && encoding.pretoken_ids[i] == encoding.pretoken_ids[i - 1];
        break;
      case MergeBoundary::kWord:
      case MergeBoundary::kWordHyphen:
        gaps[i] = ends[i - 1] > 0 && ends[i - 1] < text.size() &&
                  InsideWord(text, ends[i - 1], boundary == MergeBoundary::kWordHyphen);
        break;
      case MergeBoundary::kAny:
        gaps[i] = true;
        break;
    }
  }
  return gaps;
}

}  // namespace tokgraft
