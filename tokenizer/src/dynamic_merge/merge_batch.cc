// MergeBatch: BPE training's incremental pair counting, over one batch. The
// batch is one array of symbols linked per sequence; each pair keeps the
// positions where it was seen (some stale, checked when used), and a heap of
// (count, pair) entries, stale ones skipped, finds the most frequent pair.
#include <algorithm>
#include <cmath>
#include <queue>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "dynamic_merge/base_vocabulary.h"
#include "dynamic_merge/mergeable_gaps.h"
#include "tokgraft/dynamic_merge.h"

namespace tokgraft {
namespace {

uint64_t PairKey(uint32_t left, uint32_t right) { return (static_cast<uint64_t>(left) << 32) | right; }
uint32_t LeftOf(uint64_t key) { return static_cast<uint32_t>(key >> 32); }
uint32_t RightOf(uint64_t key) { return static_cast<uint32_t>(key); }

struct HeapEntry {
  int64_t count;
  uint64_t pair;
  // The top is the highest count, then the smallest (left, right).
  bool operator<(const HeapEntry& o) const { return count != o.count ? count < o.count : pair > o.pair; }
};

class BatchMerger {
 public:
  // `gaps[i]`: symbol i may merge with the symbol before it.
  BatchMerger(std::vector<uint32_t> ids, std::vector<bool> gaps) : ids_(std::move(ids)), gaps_(std::move(gaps)) {
    const int64_t n = static_cast<int64_t>(ids_.size());
    next_.resize(ids_.size());
    prev_.resize(ids_.size());
    for (int64_t i = 0; i < n; ++i) {
      prev_[i] = i - 1;
      next_[i] = i + 1 < n ? i + 1 : -1;
    }
    for (int64_t i = 0; i + 1 < n; ++i) {
      if (gaps_[i + 1]) Add(PairKey(ids_[i], ids_[i + 1]), i, 1);
    }
    PushChanged();
  }

  // The most frequent pair and its count; count 0 when none is left.
  HeapEntry Best() {
    while (!heap_.empty()) {
      const HeapEntry top = heap_.top();
      auto it = counts_.find(top.pair);
      if (it != counts_.end() && it->second == top.count) return top;
      heap_.pop();
    }
    return HeapEntry{0, 0};
  }

  // Merges the occurrences of `pair` into `id`, left to right; returns how many.
  size_t Merge(uint64_t pair, uint32_t id) {
    const uint32_t left = LeftOf(pair), right = RightOf(pair);
    std::vector<int64_t> positions = std::move(positions_[pair]);
    positions_.erase(pair);
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    size_t merged = 0;
    for (int64_t i : positions) {
      // Stale positions: merged away, or the pair there has changed.
      if (ids_[i] != left || removed(i)) continue;
      const int64_t j = next_[i];
      if (j < 0 || ids_[j] != right || !gaps_[j]) continue;
      const int64_t before = prev_[i], after = next_[j];
      Add(pair, i, -1);
      if (before >= 0 && gaps_[i]) Add(PairKey(ids_[before], left), before, -1);
      if (after >= 0 && gaps_[after]) Add(PairKey(right, ids_[after]), j, -1);
      ids_[i] = id;
      ids_[j] = kRemoved;
      next_[i] = after;
      if (after >= 0) prev_[after] = i;
      if (before >= 0 && gaps_[i]) Add(PairKey(ids_[before], id), before, 1);
      if (after >= 0 && gaps_[after]) Add(PairKey(id, ids_[after]), i, 1);
      ++merged;
    }
    PushChanged();
    return merged;
  }

  // The symbols left, cut at the given sequence ends.
  std::vector<std::vector<uint32_t>> Sequences(const std::vector<size_t>& ends) const {
    std::vector<std::vector<uint32_t>> out;
    size_t begin = 0;
    for (size_t end : ends) {
      std::vector<uint32_t>& seq = out.emplace_back();
      for (size_t i = begin; i < end; ++i) {
        if (!removed(static_cast<int64_t>(i))) seq.push_back(ids_[i]);
      }
      begin = end;
    }
    return out;
  }

 private:
  static constexpr uint32_t kRemoved = UINT32_MAX;
  bool removed(int64_t i) const { return ids_[i] == kRemoved; }

  void Add(uint64_t pair, int64_t position, int64_t delta) {
    counts_[pair] += delta;
    if (delta > 0) positions_[pair].push_back(position);
    changed_.insert(pair);
  }

  void PushChanged() {
    for (uint64_t pair : changed_) {
      auto it = counts_.find(pair);
      if (it->second > 0) {
        heap_.push({it->second, pair});
      } else {
        counts_.erase(it);
      }
    }
    changed_.clear();
  }

  std::vector<uint32_t> ids_;
  std::vector<bool> gaps_;
  std::vector<int64_t> next_, prev_;  // -1 at the ends of a sequence
  absl::flat_hash_map<uint64_t, int64_t> counts_;
  absl::flat_hash_map<uint64_t, std::vector<int64_t>> positions_;
  absl::flat_hash_set<uint64_t> changed_;
  std::priority_queue<HeapEntry> heap_;
};

}  // namespace

absl::StatusOr<DynamicMergeResult> MergeBatch(const Tokenizer& tokenizer, absl::Span<const Encoding> batch,
                                              const DynamicMergeOptions& options) {
  if (options.target_reduction && !(*options.target_reduction >= 0 && *options.target_reduction <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("target reduction %g is not in [0, 1]", *options.target_reduction));
  }
  BaseVocabulary vocabulary(tokenizer);
  // Sequences are laid end to end; a gap that is never mergeable separates them.
  std::vector<uint32_t> ids;
  std::vector<bool> gaps;
  std::vector<size_t> ends;
  for (size_t s = 0; s < batch.size(); ++s) {
    absl::StatusOr<std::vector<bool>> sequence_gaps = MergeableGaps(batch[s], options.boundary, &vocabulary);
    if (!sequence_gaps.ok()) {
      return absl::Status(sequence_gaps.status().code(),
                          absl::StrFormat("sequence %d: %s", s, sequence_gaps.status().message()));
    }
    ids.insert(ids.end(), batch[s].ids.begin(), batch[s].ids.end());
    gaps.insert(gaps.end(), sequence_gaps->begin(), sequence_gaps->end());
    ends.push_back(ids.size());
  }
  const size_t original_length = ids.size();
  const size_t target = options.target_reduction
                            ? static_cast<size_t>(std::ceil(*options.target_reduction * static_cast<double>(original_length)))
                            : original_length + 1;
  BatchMerger merger(std::move(ids), std::move(gaps));
  DynamicMergeResult result;
  absl::flat_hash_map<uint32_t, size_t> dynamic_index;  // id -> index in result.vocabulary
  size_t reduction = 0;
  while (result.vocabulary.size() < options.max_merges && reduction < target) {
    const HeapEntry best = merger.Best();
    if (best.count < 2) break;
    DynamicToken token;
    token.id = vocabulary.size() + static_cast<uint32_t>(result.vocabulary.size());
    token.left = LeftOf(best.pair);
    token.right = RightOf(best.pair);
    for (uint32_t part : {token.left, token.right}) {
      auto dynamic = dynamic_index.find(part);
      if (dynamic != dynamic_index.end()) {
        const DynamicToken& d = result.vocabulary[dynamic->second];
        token.parts.insert(token.parts.end(), d.parts.begin(), d.parts.end());
        token.bytes += d.bytes;
      } else {
        token.parts.push_back(part);
        token.bytes += **vocabulary.Bytes(part);  // known: MergeableGaps looked it up
      }
    }
    token.count = merger.Merge(best.pair, token.id);
    reduction += token.count;
    dynamic_index.emplace(token.id, result.vocabulary.size());
    result.vocabulary.push_back(std::move(token));
    if (options.on_merge) options.on_merge(result.vocabulary.size());
  }
  result.sequences = merger.Sequences(ends);
  return result;
}

}  // namespace tokgraft
