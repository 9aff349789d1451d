// Known merges applied to a word the way BPE encoding applies them: the
// lowest-ranked pair first, the leftmost occurrence first among equals. Used
// to resume training from an existing merge list.
#ifndef TOKGRAFT_TOKENIZER_TRAINING_RANKED_MERGES_H_
#define TOKGRAFT_TOKENIZER_TRAINING_RANKED_MERGES_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace tokgraft {

class RankedMerges {
 public:
  // The next rank: (left, right) becomes `merged`. A repeated pair keeps its
  // first rank.
  void Add(uint32_t left, uint32_t right, uint32_t merged);
  void Apply(std::vector<uint32_t>* symbols) const;
  bool empty() const { return table_.empty(); }

 private:
  struct Merge {
    uint32_t rank;
    uint32_t merged;
  };
  const Merge* Find(uint32_t left, uint32_t right) const;
  absl::flat_hash_map<uint64_t, Merge> table_;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_TRAINING_RANKED_MERGES_H_
