// The merge rules of a BPE model: (left id, right id) -> (rank, result id).
//
// This lookup is the inner loop of encoding, and most of its cost is cache
// misses: every uncached piece looks up about three pairs per byte in a table
// of hundreds of thousands of merges. A general hash map touches two cache
// lines per lookup (control bytes, then the slot); this table keeps key and
// value in one 16-byte slot, probed linearly at most half full, so a lookup
// usually touches one line. Pairs of two single-byte tokens, the first lookups
// of every byte-level piece, come from a dense 256 x 256 table instead.
#ifndef TOKGRAFT_TOKENIZER_MODELS_MERGE_TABLE_H_
#define TOKGRAFT_TOKENIZER_MODELS_MERGE_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tokgraft {

class MergeTable {
 public:
  struct Merge {
    uint32_t rank;
    uint32_t result;
  };
  static constexpr uint32_t kNoRank = UINT32_MAX;

  // Adds or replaces the rule for (left, right): a repeated pair keeps the
  // last rank given, as the reference's map does. Call Finish() afterwards.
  void Set(uint32_t left, uint32_t right, uint32_t rank, uint32_t result);
  // Builds the lookup structures. `byte_ids[b]`: the id of the token for
  // byte b; empty when symbols are not bytes or some byte has no token.
  void Finish(const std::vector<int64_t>& byte_ids);

  // Distinct pairs (after Finish()).
  size_t size() const { return size_; }
  // Whether no merge of `rank` makes a pair that ranks before it (its result
  // is a part only of later rules): then all its merges can run in one sweep.
  // True of every rank of a list trained in one go (gpt4o, qwen3), of 78% of
  // llama3's and 76% of gemma3's (after Finish()).
  bool sweepable(uint32_t rank) const { return sweepable_[rank]; }

  // The rule for (left, right); rank kNoRank when the pair does not merge.
  Merge Find(uint32_t left, uint32_t right) const {
    const uint64_t key = Key(left, right);
    for (size_t i = Hash(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return {s.rank, s.result};
      if (s.key == kEmptyKey) return {kNoRank, 0};
    }
  }
  // Starts loading the slot Find(left, right) reads first.
  void Prefetch(uint32_t left, uint32_t right) const { __builtin_prefetch(&slots_[Hash(Key(left, right))]); }
  // Calls f(left, right, rank) for every rule, in no particular order.
  template <typename F>
  void ForEach(F f) const {
    for (const Slot& s : slots_) {
      if (s.key != kEmptyKey) f(static_cast<uint32_t>(s.key >> 32), static_cast<uint32_t>(s.key), s.rank);
    }
  }
  // Whether Finish() was given byte ids (then FindBytes works).
  bool has_byte_pairs() const { return !byte_pairs_.empty(); }
  // The rule for the tokens of bytes `left` and `right`.
  Merge FindBytes(unsigned char left, unsigned char right) const {
    return byte_pairs_[left * 256 + right];
  }

 private:
  struct Slot {
    uint64_t key;
    uint32_t rank;
    uint32_t result;
  };
  // Ids are below 2^32 - 1, so no pair has this key.
  static constexpr uint64_t kEmptyKey = UINT64_MAX;
  static uint64_t Key(uint32_t left, uint32_t right) {
    return (static_cast<uint64_t>(left) << 32) | right;
  }
  // Multiplicative (Fibonacci) hashing: the top bits mix both ids.
  size_t Hash(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_); }

  std::vector<Slot> rules_;  // in Set() order, until Finish()
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 64;
  size_t size_ = 0;
  std::vector<bool> sweepable_;  // by rank
  std::vector<Merge> byte_pairs_;
};

// One thread's recent lookups in a MergeTable, in a table small enough to
// stay in the first-level caches. Text repeats its pairs (the same characters
// and syllables over and over), so most lookups end here without a miss.
class RecentMerges {
 public:
  explicit RecentMerges(const MergeTable* table) : table_(table), slots_(kSlots, Slot{kEmptyKey, {}}) {}

  MergeTable::Merge Find(uint32_t left, uint32_t right) {
    const uint64_t key = (static_cast<uint64_t>(left) << 32) | right;
    Slot& slot = slots_[(key * 0x9E3779B97F4A7C15ull) >> (64 - kBits)];
    if (slot.key != key) slot = Slot{key, table_->Find(left, right)};
    return slot.merge;
  }

 private:
  static constexpr int kBits = 12;
  static constexpr size_t kSlots = size_t{1} << kBits;
  static constexpr uint64_t kEmptyKey = UINT64_MAX;
  struct Slot {
    uint64_t key;
    MergeTable::Merge merge;
  };
  const MergeTable* table_;
  std::vector<Slot> slots_;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_MODELS_MERGE_TABLE_H_
