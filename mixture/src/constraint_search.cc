#include "constraint_search.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace tokgraft::mixture {

ConstraintSearch::ConstraintSearch(std::vector<MergeReplay> replays, std::vector<double> scales,
                                   const MergeSchedule& schedule, std::vector<bool> constrained)
    : replays_(std::move(replays)), scales_(std::move(scales)), constrained_(std::move(constrained)) {
  // Dense pair ids, so that a sweep indexes arrays instead of hash maps.
  absl::flat_hash_map<uint64_t, uint32_t> dense;
  for (MergeReplay& replay : replays_) {
    for (PairCountChange& change : replay.changes) {
      change.pair = dense.try_emplace(change.pair, static_cast<uint32_t>(dense.size())).first->second;
    }
  }
  num_pairs_ = dense.size();
  while (leaves_ < num_pairs_) leaves_ *= 2;
  const std::vector<MergeStep>& steps = schedule.steps();
  step_pairs_.resize(steps.size());
  for (size_t t = 0; t < steps.size(); ++t) {
    for (const auto& [left, right] : steps[t].pairs) {
      auto it = dense.find((uint64_t{left} << 32) | right);
      if (it != dense.end()) step_pairs_[t].push_back(it->second);
    }
  }
}

void ConstraintSearch::SetLeaf(uint32_t pair, double value) {
  size_t node = leaves_ + pair;
  tree_[node] = value;
  for (node /= 2; node >= 1; node /= 2) {
    const double top = std::max(tree_[2 * node], tree_[2 * node + 1]);
    if (tree_[node] == top) break;
    tree_[node] = top;
  }
}

std::vector<StepViolation> ConstraintSearch::MostViolated(const std::vector<double>& alpha, double tolerance) {
  const size_t n = replays_.size();
  tree_.assign(2 * leaves_, 0.0);
  counts_.assign(num_pairs_ * n, 0);
  std::vector<double> weight(n);
  for (size_t i = 0; i < n; ++i) weight[i] = alpha[i] * scales_[i];
  std::vector<double> weighted(num_pairs_, 0.0);
  std::vector<size_t> next(n, 0);
  std::vector<StepViolation> found;
  std::vector<size_t> frontier;  // tree nodes above the threshold, best first
  const size_t steps = constrained_.size();
  for (size_t t = 0; t < steps; ++t) {
    for (size_t i = 0; i < n; ++i) {
      const std::vector<PairCountChange>& changes = replays_[i].changes;
      size_t& k = next[i];
      for (; k < changes.size() && changes[k].step == t; ++k) {
        const uint32_t pair = static_cast<uint32_t>(changes[k].pair);
        uint32_t& count = counts_[size_t{pair} * n + i];
        const double delta = weight[i] * (double(changes[k].count) - double(count));
        count = changes[k].count;
        if (delta == 0) continue;
        weighted[pair] += delta;
        SetLeaf(pair, weighted[pair]);
      }
    }
    if (!constrained_[t]) continue;
    double merged = 0;
    for (size_t i = 0; i < n; ++i) merged += weight[i] * replays_[i].step_counts[t];
    const double threshold = merged + tolerance;
    if (tree_[1] <= threshold) continue;
    // Descend to the largest leaf that is not one of the step's own pairs
    // (those are at most `merged`, so normally the root's leaf is taken).
    const std::vector<uint32_t>& own = step_pairs_[t];
    auto by_value = [this](size_t a, size_t b) { return tree_[a] < tree_[b]; };
    frontier.assign(1, 1);
    while (!frontier.empty()) {
      std::pop_heap(frontier.begin(), frontier.end(), by_value);
      const size_t node = frontier.back();
      frontier.pop_back();
      if (node < leaves_) {
        for (size_t child : {2 * node, 2 * node + 1}) {
          if (tree_[child] > threshold) {
            frontier.push_back(child);
            std::push_heap(frontier.begin(), frontier.end(), by_value);
          }
        }
        continue;
      }
      const uint32_t pair = static_cast<uint32_t>(node - leaves_);
      if (std::find(own.begin(), own.end(), pair) != own.end()) continue;
      StepViolation violation{static_cast<uint32_t>(t), std::vector<double>(n), weighted[pair] - merged};
      for (size_t i = 0; i < n; ++i) {
        violation.coefficients[i] =
            scales_[i] * (double(counts_[size_t{pair} * n + i]) - double(replays_[i].step_counts[t]));
      }
      found.push_back(std::move(violation));
      break;
    }
  }
  return found;
}

}  // namespace tokgraft::mixture
