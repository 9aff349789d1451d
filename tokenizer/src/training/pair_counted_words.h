// Counted words as symbol sequences, with the count of every adjacent pair
// kept up to date as pairs merge in place. Shared by the trainer's merge loop
// (MergeLearner) and the replay of a given merge list (merge_replay.h), so
// that replaying merges counts pairs exactly as training does.
//
// Words are stored in one flat array and merged in place. A pair's count is
// the sum over words of (occurrences in the word) x (the word's count).
#ifndef TOKGRAFT_TOKENIZER_TRAINING_PAIR_COUNTED_WORDS_H_
#define TOKGRAFT_TOKENIZER_TRAINING_PAIR_COUNTED_WORDS_H_

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"

namespace tokgraft {

inline uint64_t PairKey(uint32_t left, uint32_t right) { return (uint64_t{left} << 32) | right; }
inline uint32_t PairLeft(uint64_t pair) { return static_cast<uint32_t>(pair >> 32); }
inline uint32_t PairRight(uint64_t pair) { return static_cast<uint32_t>(pair); }

class PairCountedWords {
 public:
  void AddWord(absl::Span<const uint32_t> symbols, uint64_t count);
  size_t num_words() const { return word_count_.size(); }

  // Pairs for which allowed(left, right) is false are never counted. Set
  // before CountPairs.
  void SetPairFilter(std::function<bool(uint32_t, uint32_t)> allowed) { allowed_ = std::move(allowed); }

  // Counts every pair of every word; each pair's words become new pair words.
  void CountPairs();

  // Merges every occurrence of (left, right) in word w, left to right,
  // updating the counts of the neighbouring pairs and noting the words where
  // pairs appeared. The merged pair's own count is left as it was (Hugging
  // Face's trainer does the same; SetCount clears it where that matters).
  void MergeInWord(uint32_t w, uint32_t left, uint32_t right, uint32_t merged);

  int64_t Count(uint64_t pair) const {
    auto it = pair_counts_.find(pair);
    return it == pair_counts_.end() ? 0 : it->second;
  }
  void SetCount(uint64_t pair, int64_t count);

  // Calls take(pair, words) for every pair that appeared in some word since
  // the last call, with those words (sorted, unique per call of MergeInWord
  // or CountPairs), and forgets them.
  template <typename Take>
  void TakeNewPairWords(Take take) {
    for (auto& [pair, words] : new_pair_words_) take(pair, std::move(words));
    new_pair_words_.clear();
  }

  // When on, every pair whose count changes is appended to changed_pairs()
  // (repeats included) until the caller clears it.
  void set_track_changes(bool on) { track_changes_ = on; }
  std::vector<uint64_t>& changed_pairs() { return changed_pairs_; }

 private:
  void AddToPair(uint32_t left, uint32_t right, int64_t delta, uint32_t word);

  std::function<bool(uint32_t, uint32_t)> allowed_;
  std::vector<uint32_t> symbols_;          // all words, back to back
  std::vector<uint64_t> word_begin_ = {0};  // word w starts at symbols_[word_begin_[w]]
  std::vector<uint32_t> word_length_;      // current length (shrinks as pairs merge)
  std::vector<uint64_t> word_count_;
  absl::flat_hash_map<uint64_t, int64_t> pair_counts_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> new_pair_words_;
  bool track_changes_ = false;
  std::vector<uint64_t> changed_pairs_;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_TRAINING_PAIR_COUNTED_WORDS_H_
