// Finds the pair constraints of the mixture program that a candidate solution
// violates most, by sweeping the replayed pair counts of every category step
// by step: at each step, the alpha-weighted count of every pair is kept in a
// max segment tree, so the most frequent pair other than the merged one comes
// out at once.
#ifndef TOKGRAFT_MIXTURE_CONSTRAINT_SEARCH_H_
#define TOKGRAFT_MIXTURE_CONSTRAINT_SEARCH_H_

#include <cstdint>
#include <vector>

#include "tokgraft/merge_replay.h"

namespace tokgraft::mixture {

struct StepViolation {
  uint32_t step;
  // Per category: scaled count of the pair minus that of the merged pair(s).
  std::vector<double> coefficients;
  double value;  // coefficients . alpha > 0: the slack the step needs
};

class ConstraintSearch {
 public:
  // `replays[i]`: category i's replay of `schedule` (taken over: its pair keys
  // are renumbered in place); `scales[i]` turns its counts into the units of
  // the program (per million bytes). Only steps with `constrained[t]` get
  // constraints.
  ConstraintSearch(std::vector<MergeReplay> replays, std::vector<double> scales, const MergeSchedule& schedule,
                   std::vector<bool> constrained);

  // For every constrained step where some pair is more frequent than the
  // merged one under alpha (by more than `tolerance`), the most frequent such
  // pair. The values add up to the program's objective at alpha (the least
  // total slack alpha allows).
  std::vector<StepViolation> MostViolated(const std::vector<double>& alpha, double tolerance);

  // Scaled count of step t's pairs in category i just before the step.
  double MergedCount(size_t category, size_t step) const {
    return scales_[category] * replays_[category].step_counts[step];
  }
  size_t num_pairs() const { return num_pairs_; }

 private:
  void SetLeaf(uint32_t pair, double value);

  std::vector<MergeReplay> replays_;
  std::vector<double> scales_;
  std::vector<bool> constrained_;
  std::vector<std::vector<uint32_t>> step_pairs_;  // dense ids of each step's own pairs
  size_t num_pairs_ = 0;
  size_t leaves_ = 1;           // power of two >= num_pairs_
  std::vector<double> tree_;    // max over subtrees; leaves at [leaves_, 2 * leaves_)
  std::vector<uint32_t> counts_;  // [pair * categories + category], during a sweep
};

}  // namespace tokgraft::mixture

#endif  // TOKGRAFT_MIXTURE_CONSTRAINT_SEARCH_H_
