#include "word_segmenter.h"

#include "absl/strings/str_format.h"
#include "unicode/utext.h"

namespace tokgraft::stats {

absl::StatusOr<WordSegmenter> WordSegmenter::Create() {
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), error));
  if (U_FAILURE(error)) {
    return absl::InternalError(absl::StrFormat("ICU word break iterator: %s", u_errorName(error)));
  }
  return WordSegmenter(std::move(words));
}

absl::Status WordSegmenter::Segment(std::string_view text, std::vector<ByteSpan>* words) {
  words->clear();
  UErrorCode error = U_ZERO_ERROR;
  // A UTF-8 UText lets the iterator report byte offsets, which is what token
  // offsets are.
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &error);
  if (U_SUCCESS(error)) words_->setText(utext, error);
  if (U_FAILURE(error)) {
    utext_close(utext);
    return absl::InternalError(absl::StrFormat("ICU word segmentation: %s", u_errorName(error)));
  }
  int32_t begin = words_->first();
  for (int32_t end = words_->next(); end != icu::BreakIterator::DONE; begin = end, end = words_->next()) {
    if (words_->getRuleStatus() != UBRK_WORD_NONE) {
      words->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
    }
  }
  utext_close(utext);
  return absl::OkStatus();
}

}  // namespace tokgraft::stats
