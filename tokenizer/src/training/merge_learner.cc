#include "training/merge_learner.h"

#include <algorithm>

namespace tokgraft {
namespace {

uint64_t PairKey(uint32_t left, uint32_t right) { return (uint64_t{left} << 32) | right; }
uint32_t Left(uint64_t pair) { return static_cast<uint32_t>(pair >> 32); }
uint32_t Right(uint64_t pair) { return static_cast<uint32_t>(pair); }

}  // namespace

MergeLearner::MergeLearner(std::vector<std::string> tokens, std::vector<uint32_t> units)
    : tokens_(std::move(tokens)), units_(std::move(units)) {
  for (uint32_t id = 0; id < tokens_.size(); ++id) token_ids_.emplace(tokens_[id], id);
  word_begin_.push_back(0);
}

void MergeLearner::AddWord(absl::Span<const uint32_t> symbols, uint64_t count) {
  symbols_.insert(symbols_.end(), symbols.begin(), symbols.end());
  word_begin_.push_back(symbols_.size());
  word_length_.push_back(static_cast<uint32_t>(symbols.size()));
  word_count_.push_back(count);
}

void MergeLearner::AddToPair(uint32_t left, uint32_t right, int64_t delta, uint32_t word) {
  if (!Allowed(left, right)) return;
  const uint64_t pair = PairKey(left, right);
  pair_counts_[pair] += delta * static_cast<int64_t>(word_count_[word]);
  if (delta > 0) {
    std::vector<uint32_t>& words = new_pair_words_[pair];
    if (words.empty() || words.back() != word) words.push_back(word);
  }
}

void MergeLearner::CountPairs() {
  for (uint32_t w = 0; w < word_length_.size(); ++w) {
    const uint32_t* s = symbols_.data() + word_begin_[w];
    for (uint32_t i = 0; i + 1 < word_length_[w]; ++i) AddToPair(s[i], s[i + 1], 1, w);
  }
  queue_.reserve(new_pair_words_.size());
  for (auto& [pair, words] : new_pair_words_) {
    const int64_t count = pair_counts_[pair];
    if (count > 0) queue_.push_back(Entry{static_cast<uint64_t>(count), pair, std::move(words)});
  }
  new_pair_words_.clear();
  std::make_heap(queue_.begin(), queue_.end(), Lower);
}

void MergeLearner::MergeInWord(uint32_t w, uint32_t left, uint32_t right, uint32_t merged) {
  uint32_t* s = symbols_.data() + word_begin_[w];
  const uint32_t n = word_length_[w];
  uint32_t out = 0;
  for (uint32_t in = 0; in < n;) {
    if (in + 1 < n && s[in] == left && s[in + 1] == right) {
      if (out > 0) {
        AddToPair(s[out - 1], left, -1, w);
        AddToPair(s[out - 1], merged, 1, w);
      }
      if (in + 2 < n) {
        AddToPair(right, s[in + 2], -1, w);
        AddToPair(merged, s[in + 2], 1, w);
      }
      s[out++] = merged;
      in += 2;
    } else {
      s[out++] = s[in++];
    }
  }
  word_length_[w] = out;
}

void MergeLearner::Learn(size_t vocab_size, uint64_t min_frequency,
                         const std::function<void(size_t, size_t)>& on_merge) {
  CountPairs();
  const size_t initial = tokens_.size();
  const size_t wanted = vocab_size > initial ? vocab_size - initial : 0;
  while (tokens_.size() < vocab_size && !queue_.empty()) {
    std::pop_heap(queue_.begin(), queue_.end(), Lower);
    Entry top = std::move(queue_.back());
    queue_.pop_back();
    const int64_t current = pair_counts_[top.pair];
    if (top.count != static_cast<uint64_t>(current)) {
      top.count = static_cast<uint64_t>(current);
      queue_.push_back(std::move(top));
      std::push_heap(queue_.begin(), queue_.end(), Lower);
      continue;
    }
    if (top.count < 1 || min_frequency > top.count) break;

    const uint32_t left = Left(top.pair), right = Right(top.pair);
    std::string merged_token = tokens_[left] + tokens_[right];
    auto [it, is_new] = token_ids_.emplace(std::move(merged_token), static_cast<uint32_t>(tokens_.size()));
    if (is_new) {
      tokens_.push_back(it->first);
      units_.push_back(units_[left] + units_[right]);
    }
    const uint32_t merged = it->second;
    merges_.emplace_back(top.pair, merged);

    // Word lists are sorted and unique: built in increasing word order.
    for (uint32_t w : top.words) MergeInWord(w, left, right, merged);
    for (auto& [pair, words] : new_pair_words_) {
      const int64_t count = pair_counts_[pair];
      if (count > 0) {
        queue_.push_back(Entry{static_cast<uint64_t>(count), pair, std::move(words)});
        std::push_heap(queue_.begin(), queue_.end(), Lower);
      }
    }
    new_pair_words_.clear();
    if (on_merge) on_merge(tokens_.size() - initial, wanted);
  }
}

std::vector<std::pair<uint32_t, uint32_t>> MergeLearner::Merges() const {
  absl::flat_hash_map<uint64_t, size_t> last_rank;
  for (size_t i = 0; i < merges_.size(); ++i) last_rank[merges_[i].first] = i;
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (size_t i = 0; i < merges_.size(); ++i) {
    if (last_rank[merges_[i].first] == i) out.emplace_back(Left(merges_[i].first), Right(merges_[i].first));
  }
  return out;
}

}  // namespace tokgraft
