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
