#include "constraint_search.h"

#include <algorithm>
#include <limits>
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
  std::vector<std::vector<uint32_t>> changes_of(num_pairs_);
  for (const MergeReplay& replay : replays_) {
    for (const PairCountChange& change : replay.changes) changes_of[change.pair].push_back(change.step);
  }
  change_starts_.assign(1, 0);
  for (std::vector<uint32_t>& steps : changes_of) {
    std::sort(steps.begin(), steps.end());
    steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
    change_steps_.insert(change_steps_.end(), steps.begin(), steps.end());
    change_starts_.push_back(static_cast<uint32_t>(change_steps_.size()));
    steps = {};
  }
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

ConstraintSearch::Sweep ConstraintSearch::FindViolated(const std::vector<double>& alpha,
                                                       const std::vector<double>& pair_slack,
                                                       const std::vector<double>& step_slack, double tolerance,
                                                       size_t per_step) {
  const size_t n = replays_.size();
  // Every pair's count starts at 0, so its leaf at minus its slack; leaves
  // past the last pair never win.
  tree_.assign(2 * leaves_, -std::numeric_limits<double>::infinity());
  for (size_t p = 0; p < num_pairs_; ++p) tree_[leaves_ + p] = -pair_slack[p];
  for (size_t node = leaves_ - 1; node >= 1; --node) tree_[node] = std::max(tree_[2 * node], tree_[2 * node + 1]);
  counts_.assign(num_pairs_ * n, 0);
  std::vector<double> weight(n);
  for (size_t i = 0; i < n; ++i) weight[i] = alpha[i] * scales_[i];
  std::vector<double> weighted(num_pairs_, 0.0);
  std::vector<size_t> next(n, 0);
  Sweep sweep;
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
        SetLeaf(pair, weighted[pair] - pair_slack[pair]);
      }
    }
    if (!constrained_[t]) continue;
    double merged = 0;
    for (size_t i = 0; i < n; ++i) merged += weight[i] * replays_[i].step_counts[t];
    // Leaves come out largest first: the first pair that is not one of the
    // step's own (those are at most `merged`) gives the step's least slack;
    // it and the next ones are violated while above `violated_above`.
    const double slack_above = merged + tolerance;
    const double violated_above = merged + step_slack[t] + tolerance;
    if (tree_[1] <= slack_above) continue;
    const std::vector<uint32_t>& own = step_pairs_[t];
    auto by_value = [this](size_t a, size_t b) { return tree_[a] < tree_[b]; };
    frontier.assign(1, 1);
    bool first = true;
    size_t found = 0;
    while (!frontier.empty() && found < per_step) {
      std::pop_heap(frontier.begin(), frontier.end(), by_value);
      const size_t node = frontier.back();
      frontier.pop_back();
      if (!first && tree_[node] <= violated_above) break;
      if (node < leaves_) {
        for (size_t child : {2 * node, 2 * node + 1}) {
          if (tree_[child] > slack_above) {
            frontier.push_back(child);
            std::push_heap(frontier.begin(), frontier.end(), by_value);
          }
        }
        continue;
      }
      const uint32_t pair = static_cast<uint32_t>(node - leaves_);
      if (std::find(own.begin(), own.end(), pair) != own.end()) continue;
      if (first) {
        sweep.least_step_slack += tree_[node] - merged;
        ++sweep.steps_with_slack;
        first = false;
      }
      if (tree_[node] <= violated_above) break;
      // The pair's last change at or before t, and its next one.
      const auto changes_begin = change_steps_.begin() + change_starts_[pair];
      const auto changes_end = change_steps_.begin() + change_starts_[pair + 1];
      const auto next = std::upper_bound(changes_begin, changes_end, static_cast<uint32_t>(t));
      StepViolation violation{static_cast<uint32_t>(t), pair, *(next - 1),
                              next == changes_end ? static_cast<uint32_t>(steps) : *next, std::vector<double>(n),
                              tree_[node] - merged};
      for (size_t i = 0; i < n; ++i) violation.pair_counts[i] = scales_[i] * counts_[size_t{pair} * n + i];
      sweep.violated.push_back(std::move(violation));
      ++found;
    }
  }
  return sweep;
}

}  // namespace tokgraft::mixture
