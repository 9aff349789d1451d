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
// Words and pair counts live in PairCountedWords, which merge replay shares.
#ifndef TOKGRAFT_TOKENIZER_TRAINING_MERGE_LEARNER_H_
#define TOKGRAFT_TOKENIZER_TRAINING_MERGE_LEARNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "training/pair_counted_words.h"

namespace tokgraft {

class MergeLearner {
 public:
  // `tokens`: the starting vocabulary (id -> token string); `units`: each
  // token's length in alphabet units (bytes or characters).
  MergeLearner(std::vector<std::string> tokens, std::vector<uint32_t> units);

  void AddWord(absl::Span<const uint32_t> symbols, uint64_t count);

  // Pairs for which allowed(left, right) is false are never counted, so never
  // merged. Set before Learn.
  void SetPairFilter(std::function<bool(uint32_t, uint32_t)> allowed) { words_.SetPairFilter(std::move(allowed)); }

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
  // Queues an entry for every pair that appeared in some word since the last
  // call, holding those words.
  void QueueNewPairs();

  std::vector<std::string> tokens_;
  std::vector<uint32_t> units_;
  absl::flat_hash_map<std::string, uint32_t> token_ids_;
  PairCountedWords words_;
  std::vector<Entry> queue_;
  std::vector<std::pair<uint64_t, uint32_t>> merges_;  // (pair, resulting id) in order
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_TRAINING_MERGE_LEARNER_H_
