// Finds the pair constraints of the mixture program that a candidate solution
// violates most, by sweeping the replayed pair counts of every category step
// by step: at each step, the alpha-weighted count of every pair less the
// pair's own slack is kept in a max segment tree, so the pair whose
// constraint the step violates most comes out at once.
#ifndef TOKGRAFT_MIXTURE_CONSTRAINT_SEARCH_H_
#define TOKGRAFT_MIXTURE_CONSTRAINT_SEARCH_H_

#include <cstdint>
#include <vector>

#include "tokgraft/merge_replay.h"

namespace tokgraft::mixture {

struct StepViolation {
  uint32_t step;
  uint32_t pair;  // dense pair id (see ConstraintSearch)
  // The steps [first_step, end_step) around `step` over which no category's
  // count of the pair changes: the pair's constraints at all these steps
  // share its counts.
  uint32_t first_step, end_step;
  // Per category: scaled count of the pair at these steps.
  std::vector<double> pair_counts;
  // pair_counts . alpha - pair_slack[pair] - merged . alpha: the step slack
  // this pair needs.
  double value;
};

class ConstraintSearch {
 public:
  // `replays[i]`: category i's replay of `schedule` (taken over: its pair keys
  // are renumbered in place to dense ids 0..num_pairs()-1); `scales[i]` turns
  // its counts into the units of the program (per million bytes). Only steps
  // with `constrained[t]` get constraints.
  ConstraintSearch(std::vector<MergeReplay> replays, std::vector<double> scales, const MergeSchedule& schedule,
                   std::vector<bool> constrained);

  // Sweeps the steps at (alpha, pair_slack, step_slack): for every
  // constrained step t, up to `per_step` pairs p whose constraint
  //   sum_i alpha_i (c_i,m(t) - c_i,p) + step_slack[t] + pair_slack[p] >= 0
  // is violated by more than `tolerance`, most violated first.
  // `step_slack` is indexed by step, `pair_slack` by dense pair id.
  struct Sweep {
    std::vector<StepViolation> violated;
    // The least sum of step slacks that (alpha, pair_slack) allow: each
    // step's largest violation at step_slack 0, or 0. With the sum of
    // pair_slack, the program's objective at that point.
    double least_step_slack = 0;
    size_t steps_with_slack = 0;
  };
  Sweep FindViolated(const std::vector<double>& alpha, const std::vector<double>& pair_slack,
                     const std::vector<double>& step_slack, double tolerance, size_t per_step);

  // Scaled count of step t's pair(s) in category i just before the step.
  double MergedCount(size_t category, size_t step) const {
    return scales_[category] * replays_[category].step_counts[step];
  }
  size_t num_categories() const { return replays_.size(); }
  size_t num_pairs() const { return num_pairs_; }
  const std::vector<bool>& constrained() const { return constrained_; }

 private:
  void SetLeaf(uint32_t pair, double value);

  std::vector<MergeReplay> replays_;
  std::vector<double> scales_;
  std::vector<bool> constrained_;
  std::vector<std::vector<uint32_t>> step_pairs_;  // dense ids of each step's own pairs
  // Steps at which each pair's count changes in some category, ascending:
  // those of pair p at [change_starts_[p], change_starts_[p + 1]).
  std::vector<uint32_t> change_starts_, change_steps_;
  size_t num_pairs_ = 0;
  size_t leaves_ = 1;           // power of two >= num_pairs_
  std::vector<double> tree_;    // max over subtrees; leaves at [leaves_, 2 * leaves_)
  std::vector<uint32_t> counts_;  // [pair * categories + category], during a sweep
};

}  // namespace tokgraft::mixture

#endif  // TOKGRAFT_MIXTURE_CONSTRAINT_SEARCH_H_
