// Words of a text by ICU's word boundaries (UAX #29 plus ICU's dictionaries
// for Chinese, Japanese, Thai, ...): the segments whose rule status is not
// UBRK_WORD_NONE, i.e. letters, numbers, kana or ideographs, not spaces and
// punctuation.
#ifndef TOKGRAFT_STATS_WORD_SEGMENTER_H_
#define TOKGRAFT_STATS_WORD_SEGMENTER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/tokenizer.h"
#include "unicode/brkiter.h"

namespace tokgraft::stats {

// Not thread-safe: one per thread.
class WordSegmenter {
 public:
  static absl::StatusOr<WordSegmenter> Create();

  // Byte ranges of the words of `text` (valid UTF-8), in order.
  absl::Status Segment(std::string_view text, std::vector<ByteSpan>* words);

 private:
  explicit WordSegmenter(std::unique_ptr<icu::BreakIterator> words) : words_(std::move(words)) {}

  std::unique_ptr<icu::BreakIterator> words_;
};

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_WORD_SEGMENTER_H_
