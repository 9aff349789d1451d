#include "training/pair_counted_words.h"

namespace tokgraft {

void PairCountedWords::AddWord(absl::Span<const uint32_t> symbols, uint64_t count) {
  symbols_.insert(symbols_.end(), symbols.begin(), symbols.end());
  word_begin_.push_back(symbols_.size());
  word_length_.push_back(static_cast<uint32_t>(symbols.size()));
  word_count_.push_back(count);
}

void PairCountedWords::AddToPair(uint32_t left, uint32_t right, int64_t delta, uint32_t word) {
  if (allowed_ && !allowed_(left, right)) return;
  const uint64_t pair = PairKey(left, right);
  pair_counts_[pair] += delta * static_cast<int64_t>(word_count_[word]);
  if (track_changes_) changed_pairs_.push_back(pair);
  if (delta > 0) {
    std::vector<uint32_t>& words = new_pair_words_[pair];
    if (words.empty() || words.back() != word) words.push_back(word);
  }
}

void PairCountedWords::SetCount(uint64_t pair, int64_t count) {
  pair_counts_[pair] = count;
  if (track_changes_) changed_pairs_.push_back(pair);
}

void PairCountedWords::CountPairs() {
  for (uint32_t w = 0; w < word_length_.size(); ++w) {
    const uint32_t* s = symbols_.data() + word_begin_[w];
    for (uint32_t i = 0; i + 1 < word_length_[w]; ++i) AddToPair(s[i], s[i + 1], 1, w);
  }
}

void PairCountedWords::MergeInWord(uint32_t w, uint32_t left, uint32_t right, uint32_t merged) {
  uint32_t* s = symbols_.data() + word_begin_[w];
  const uint32_t n = word_length_[w];
  uint32_t out = 0;
  for (uint32_t in = 0; in < n;) {
    if (in + 1 < n && s[in] == left && s[in + 1] == right) {
      if (out > 0) {
        AddToPair(s[out - 1], left, -1, w);
        AddToPair(s[out - 1], merged, 1, w);
      }
      if (in + 2 < n) {
        AddToPair(right, s[in + 2], -1, w);
        AddToPair(merged, s[in + 2], 1, w);
      }
      s[out++] = merged;
      in += 2;
    } else {
      s[out++] = s[in++];
    }
  }
  word_length_[w] = out;
}

}  // namespace tokgraft
