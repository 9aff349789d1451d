// Cuts training text into words with a tokenizer.json pre-tokenizer, so that
// the tokenizer written after training splits text exactly as training did.
#ifndef TOKGRAFT_TOKENIZER_TRAINING_WORD_SPLITTER_H_
#define TOKGRAFT_TOKENIZER_TRAINING_WORD_SPLITTER_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "pre_tokenizer.h"
#include "tokgraft/trainer.h"

namespace tokgraft {

class WordSplitter {
 public:
  WordSplitter(WordSplitterInfo info, std::unique_ptr<PreTokenizer> pre_tokenizer)
      : info_(std::move(info)), pre_tokenizer_(std::move(pre_tokenizer)) {}

  const WordSplitterInfo& info() const { return info_; }

  // Calls visit(word) for every word of one line (valid UTF-8).
  template <typename Visit>
  void ForEachWord(std::string_view line, Visit visit) const {
    PreTokenized pre{AlignedString(line, 0, false), {{0, static_cast<uint32_t>(line.size())}}, true};
    pre_tokenizer_->PreTokenize(&pre);
    const std::string& text = pre.text.text();
    for (const ByteSpan& piece : pre.pieces) {
      if (piece.end > piece.begin) visit(std::string_view(text).substr(piece.begin, piece.end - piece.begin));
    }
  }

 private:
  WordSplitterInfo info_;
  std::unique_ptr<PreTokenizer> pre_tokenizer_;
};

// The pre-tokenizer a splitter description stands for.
absl::StatusOr<std::unique_ptr<PreTokenizer>> BuildPreTokenizer(const WordSplitterInfo& info);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_TRAINING_WORD_SPLITTER_H_
