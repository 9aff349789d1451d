#include "models/merge_table.h"

#include <algorithm>

namespace tokgraft {

void MergeTable::Set(uint32_t left, uint32_t right, uint32_t rank, uint32_t result) {
  rules_.push_back(Slot{Key(left, right), rank, result});
}

void MergeTable::Finish(const std::vector<int64_t>& byte_ids) {
  // At most half full: short probes, and a miss (most lookups) stops early.
  int bits = 4;
  while ((size_t{1} << bits) < 2 * rules_.size()) ++bits;
  shift_ = 64 - bits;
  mask_ = (size_t{1} << bits) - 1;
  slots_.assign(mask_ + 1, Slot{kEmptyKey, kNoRank, 0});
  size_ = 0;
  for (const Slot& rule : rules_) {
    for (size_t i = Hash(rule.key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == kEmptyKey) ++size_;
      if (s.key == kEmptyKey || s.key == rule.key) {
        s = rule;  // a later rank replaces an earlier one
        break;
      }
    }
  }
  rules_.clear();
  rules_.shrink_to_fit();

  // A rank merges in one sweep when its result takes part only in rules that
  // rank after it: then none of its merges makes a pair that comes first.
  std::vector<uint32_t> first_use;  // lowest rank of a rule with the token as a part
  auto use = [&](uint32_t id, uint32_t rank) {
    if (id >= first_use.size()) first_use.resize(size_t{id} + 1, kNoRank);
    first_use[id] = std::min(first_use[id], rank);
  };
  uint32_t max_rank = 0;
  for (const Slot& s : slots_) {
    if (s.key == kEmptyKey) continue;
    use(static_cast<uint32_t>(s.key >> 32), s.rank);
    use(static_cast<uint32_t>(s.key), s.rank);
    max_rank = std::max(max_rank, s.rank);
  }
  sweepable_.assign(size_ == 0 ? 0 : size_t{max_rank} + 1, false);
  for (const Slot& s : slots_) {
    if (s.key == kEmptyKey) continue;
    sweepable_[s.rank] = s.result >= first_use.size() || first_use[s.result] > s.rank;
  }

  byte_pairs_.clear();
  if (byte_ids.empty()) return;
  byte_pairs_.resize(256 * 256);
  for (int l = 0; l < 256; ++l) {
    for (int r = 0; r < 256; ++r) {
      byte_pairs_[l * 256 + r] = Find(static_cast<uint32_t>(byte_ids[l]), static_cast<uint32_t>(byte_ids[r]));
    }
  }
}

}  // namespace tokgraft
