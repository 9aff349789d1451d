#include "training/merge_learner.h"

#include <algorithm>

namespace tokgraft {

MergeLearner::MergeLearner(std::vector<std::string> tokens, std::vector<uint32_t> units)
    : tokens_(std::move(tokens)), units_(std::move(units)) {
  for (uint32_t id = 0; id < tokens_.size(); ++id) token_ids_.emplace(tokens_[id], id);
}

void MergeLearner::AddWord(absl::Span<const uint32_t> symbols, uint64_t count) { words_.AddWord(symbols, count); }

void MergeLearner::QueueNewPairs() {
  words_.TakeNewPairWords([this](uint64_t pair, std::vector<uint32_t>&& words) {
    const int64_t count = words_.Count(pair);
    if (count > 0) {
      queue_.push_back(Entry{static_cast<uint64_t>(count), pair, std::move(words)});
      std::push_heap(queue_.begin(), queue_.end(), Lower);
    }
  });
}

void MergeLearner::Learn(size_t vocab_size, uint64_t min_frequency,
                         const std::function<void(size_t, size_t)>& on_merge) {
  words_.CountPairs();
  words_.TakeNewPairWords([this](uint64_t pair, std::vector<uint32_t>&& words) {
    const int64_t count = words_.Count(pair);
    if (count > 0) queue_.push_back(Entry{static_cast<uint64_t>(count), pair, std::move(words)});
  });
  std::make_heap(queue_.begin(), queue_.end(), Lower);
  const size_t initial = tokens_.size();
  const size_t wanted = vocab_size > initial ? vocab_size - initial : 0;
  while (tokens_.size() < vocab_size && !queue_.empty()) {
    std::pop_heap(queue_.begin(), queue_.end(), Lower);
    Entry top = std::move(queue_.back());
    queue_.pop_back();
    const int64_t current = words_.Count(top.pair);
    if (top.count != static_cast<uint64_t>(current)) {
      top.count = static_cast<uint64_t>(current);
      queue_.push_back(std::move(top));
      std::push_heap(queue_.begin(), queue_.end(), Lower);
      continue;
    }
    if (top.count < 1 || min_frequency > top.count) break;

    const uint32_t left = PairLeft(top.pair), right = PairRight(top.pair);
    std::string merged_token = tokens_[left] + tokens_[right];
    auto [it, is_new] = token_ids_.emplace(std::move(merged_token), static_cast<uint32_t>(tokens_.size()));
    if (is_new) {
      tokens_.push_back(it->first);
      units_.push_back(units_[left] + units_[right]);
    }
    const uint32_t merged = it->second;
    merges_.emplace_back(top.pair, merged);

    // Word lists are sorted and unique: built in increasing word order.
    for (uint32_t w : top.words) words_.MergeInWord(w, left, right, merged);
    QueueNewPairs();
    if (on_merge) on_merge(tokens_.size() - initial, wanted);
  }
}

std::vector<std::pair<uint32_t, uint32_t>> MergeLearner::Merges() const {
  absl::flat_hash_map<uint64_t, size_t> last_rank;
  for (size_t i = 0; i < merges_.size(); ++i) last_rank[merges_[i].first] = i;
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (size_t i = 0; i < merges_.size(); ++i) {
    if (last_rank[merges_[i].first] == i) out.emplace_back(PairLeft(merges_[i].first), PairRight(merges_[i].first));
  }
  return out;
}

}  // namespace tokgraft
