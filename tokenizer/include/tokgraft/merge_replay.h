// Replaying a BPE merge list on a text sample: the count of every adjacent
// pair of symbols just before each merge step, as training saw them.
//
// The merge list of a BPE tokenizer records which pair was the most frequent
// at each step of its training; replaying it on samples of candidate data
// (data-mixture inference, tokgraft/mixture.h) measures how frequent every
// other pair was at that step. Pairs are counted by the trainer's own
// machinery and each step touches only the words holding the merged pair.
#ifndef TOKGRAFT_MERGE_REPLAY_H_
#define TOKGRAFT_MERGE_REPLAY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace tokgraft {

// One step of training: the token it made and the pairs that make it.
// Converted tiktoken and sentencepiece files list every split of a token as a
// merge of its own, one after the other; those form one step.
struct MergeStep {
  std::string token;                                // as the file writes it
  std::vector<std::pair<uint32_t, uint32_t>> pairs;  // symbol ids
  uint32_t merged = 0;                              // the token's symbol id
  uint32_t first_merge = 0;                         // index in the merge list
  // False when no pair's parts exist yet at this step (a file that lists a
  // token before the tokens it is made of): such a step records no training
  // decision and never applies.
  bool reachable = true;
};

class MergeSchedule {
 public:
  // `merges`: (left, right) in rank order, tokens as the file writes them.
  // `byte_level`: symbols are bytes, written in GPT-2's byte alphabet;
  // otherwise characters. `is_character_token(c)` says whether character c
  // (UTF-8) is a token; characters that are neither tokens nor parts of a
  // merge cut a word in two, as they never take part in a pair. Only the
  // first `max_merges` merges are used (0: all). Fails, naming the merge, on
  // a byte-level token outside the byte alphabet.
  static absl::StatusOr<MergeSchedule> Create(const std::vector<std::pair<std::string, std::string>>& merges,
                                              bool byte_level,
                                              std::function<bool(std::string_view)> is_character_token,
                                              size_t max_merges = 0);

  const std::vector<MergeStep>& steps() const { return steps_; }
  size_t merges_used() const { return merges_used_; }
  bool byte_level() const { return byte_level_; }

  // The symbol runs of a word (byte-level: raw bytes; otherwise text):
  // appends their symbols to `symbols` and the end of each run to `run_ends`.
  void WordSymbols(std::string_view word, std::vector<uint32_t>* symbols, std::vector<uint32_t>* run_ends) const;

 private:
  bool byte_level_ = true;
  size_t merges_used_ = 0;
  std::function<bool(std::string_view)> is_character_token_;
  absl::flat_hash_map<char32_t, uint32_t> char_ids_;  // characters that merges use
  std::vector<MergeStep> steps_;
};

// The pair counts of one sample as it is replayed: changes[k] says that pair
// `pair` (left id << 32 | right id) occurs `count` times just before step
// `step` (step 0: the initial counts). Changes are in step order.
struct PairCountChange {
  uint32_t step;
  uint32_t count;
  uint64_t pair;
};

struct MergeReplay {
  // Per step: occurrences of the step's pairs just before it.
  std::vector<uint32_t> step_counts;
  std::vector<PairCountChange> changes;
};

// Replays the schedule on counted words (pieces as the tokenizer's
// pre-tokenizer gives them). `on_step(done, total)`, if set, is called every
// 1024 steps. Fails if a count exceeds 2^32 - 1.
absl::StatusOr<MergeReplay> ReplayMerges(const MergeSchedule& schedule,
                                         const absl::flat_hash_map<std::string, uint64_t>& words,
                                         const std::function<void(size_t, size_t)>& on_step = nullptr);

}  // namespace tokgraft

#endif  // TOKGRAFT_MERGE_REPLAY_H_
