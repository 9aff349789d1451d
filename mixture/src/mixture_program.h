// The mixture program solved by lazy constraint generation:
//   minimise   sum_t v_t + sum_p v_p
//   subject to sum_i alpha_i (c_i,m(t) - c_i,p) + v_t + v_p >= 0  for every step t, pair p
//              alpha >= 0, sum_i alpha_i = 1, v >= 0,
// with a slack v_p per pair shared by all steps (Hayase et al.'s program) or,
// without pair slack, v_t alone.
//
// The rows are generated lazily, as the paper does: the program starts with
// alpha, a v_t per step and no pair rows; each round a sweep over the
// replayed counts finds, for every step, the pairs whose constraint the
// current solution violates most (up to `candidates_per_step`), adds their
// rows (and a v_p column the first time a pair appears) and solves again from
// the last basis. When no row is violated, the solution is optimal for the
// full program. A pair's count changes at few steps, and its rows at the
// steps in between differ only in the merged counts; they are added for that
// whole stretch at once, through a segment tree over the steps (see
// mixture_program.cc), which takes far fewer rounds than a row per step. The
// program over the rows so far bounds the optimum from below; each sweep
// also gives the objective at its point (each v_t raised to its step's
// largest violation), an upper bound, and rounds stop early when the two
// meet.
#ifndef TOKGRAFT_MIXTURE_MIXTURE_PROGRAM_H_
#define TOKGRAFT_MIXTURE_MIXTURE_PROGRAM_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "constraint_search.h"

namespace tokgraft::mixture {

struct ProgramOptions {
  bool pair_slack = true;
  size_t candidates_per_step = 20;
  int max_rounds = 10000;
  std::function<void(const std::string&)> on_progress;
};

struct ProgramSolution {
  std::vector<double> alpha;      // per category, summing to 1
  double total_slack = 0;         // sum of v_t and v_p, an upper bound
  double pair_slack = 0;          // the v_p part of it
  double lower_bound = 0;         // the program's optimum is at least this
  size_t steps_with_slack = 0;    // v_t > 0
  size_t pairs_with_slack = 0;    // v_p > 0
  size_t rows = 0;                // (step, pair) constraints in the program
  size_t pair_columns = 0;        // v_p columns in the program
  int rounds = 0;
  double search_seconds = 0;
  double solve_seconds = 0;
};

// Fails (Internal) if the LP solver fails or rows are still violated after
// `max_rounds` rounds.
absl::StatusOr<ProgramSolution> SolveMixtureProgram(ConstraintSearch& search, const ProgramOptions& options);

}  // namespace tokgraft::mixture

#endif  // TOKGRAFT_MIXTURE_MIXTURE_PROGRAM_H_
