// The greedy merge loop of BPE training over a set of counted words.
//
// It reproduces Hugging Face's BpeTrainer step for step, quirks included,
// because data-mixture inference replays that trainer and needs its exact
// merges:
//  - a priority queue of (count, pair) entries, each holding the words where
//    the pair was seen when the entry was made; a popped entry whose count is
//    stale is pushed back with the current count; only the entry's words are
//    merged;
//  - merging a pair never lowers that pair's own count;
//  - a merge whose result already exists (reached by another pair) reuses its
//    id, and a pair merged twice keeps its later rank.
// Words are stored in one flat array and merged in place.
#ifndef TOKGRAFT_TOKENIZER_TRAINING_MERGE_LEARNER_H_
#define TOKGRAFT_TOKENIZER_TRAINING_MERGE_LEARNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"

namespace tokgraft {

class MergeLearner {
 public:
  // `tokens`: the starting vocabulary (id -> token string); `units`: each
  // token's length in alphabet units (bytes or characters).
  MergeLearner(std::vector<std::string> tokens, std::vector<uint32_t> units);

  void AddWord(absl::Span<const uint32_t> symbols, uint64_t count);

  // Pairs for which allowed(left, right) is false are never counted, so never
  // merged. Set before Learn.
  void SetPairFilter(std::function<bool(uint32_t, uint32_t)> allowed) { allowed_ = std::move(allowed); }

  // Merges until the vocabulary has `vocab_size` tokens, no pair occurs, or
  // the best pair occurs fewer than `min_frequency` times.
  void Learn(size_t vocab_size, uint64_t min_frequency, const std::function<void(size_t, size_t)>& on_merge);

  const std::vector<std::string>& tokens() const { return tokens_; }
  const std::vector<uint32_t>& units() const { return units_; }
  // Learned merges in rank order, a pair merged twice at its later rank.
  std::vector<std::pair<uint32_t, uint32_t>> Merges() const;

 private:
  struct Entry {
    uint64_t count;
    uint64_t pair;  // left id << 32 | right id: compares like (left, right)
    std::vector<uint32_t> words;
  };
  // Heap order: the greater count first, then the smaller pair.
  static bool Lower(const Entry& a, const Entry& b) {
    return a.count != b.count ? a.count < b.count : a.pair > b.pair;
  }
  bool Allowed(uint32_t left, uint32_t right) const { return !allowed_ || allowed_(left, right); }
  void CountPairs();
  // Merges every occurrence of the pair in word w, left to right, updating
  // pair counts and noting the words where new pairs appeared.
  void MergeInWord(uint32_t w, uint32_t left, uint32_t right, uint32_t merged);
  void AddToPair(uint32_t left, uint32_t right, int64_t delta, uint32_t word);

  std::vector<std::string> tokens_;
  std::vector<uint32_t> units_;
  absl::flat_hash_map<std::string, uint32_t> token_ids_;
  std::function<bool(uint32_t, uint32_t)> allowed_;

  std::vector<uint32_t> symbols_;      // all words, back to back
  std::vector<uint64_t> word_begin_;   // word w starts at symbols_[word_begin_[w]]
  std::vector<uint32_t> word_length_;  // current length (shrinks as pairs merge)
  std::vector<uint64_t> word_count_;

  absl::flat_hash_map<uint64_t, int64_t> pair_counts_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> new_pair_words_;
  std::vector<Entry> queue_;
  std::vector<std::pair<uint64_t, uint32_t>> merges_;  // (pair, resulting id) in order
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_TRAINING_MERGE_LEARNER_H_
