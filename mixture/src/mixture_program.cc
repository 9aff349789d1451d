#include "mixture_program.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "linear_program.h"

namespace tokgraft::mixture {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// A constraint counts as violated beyond this (units: occurrences per million
// bytes; one occurrence in a 1 MB sample is 1).
constexpr double kTolerance = 1e-5;
// Rounds also stop when the objective at the best solution found is within
// this fraction of the program's lower bound.
constexpr double kRelativeGap = 1e-7;

}  // namespace

absl::StatusOr<ProgramSolution> SolveMixtureProgram(ConstraintSearch& search, const ProgramOptions& options) {
  const size_t n = search.num_categories();
  const std::vector<bool>& constrained = search.constrained();
  LinearProgram lp;
  std::vector<int> alpha_columns(n);
  for (size_t i = 0; i < n; ++i) alpha_columns[i] = lp.AddColumn(0, 1, 0);
  lp.AddRow(1, 1, alpha_columns, std::vector<double>(n, 1.0));
  // The constrained steps, numbered 0..K-1, are the leaves of a segment tree
  // [leaves, 2 * leaves). A leaf stands for v_t + merged_t . alpha, an inner
  // node for a free column y at most its children (rows y_child - y >= 0,
  // the leaves' written out). A pair whose counts stay the same over steps
  // [s, e) then needs one row per node of the range's O(log K) cover,
  //   y_node + v_p - counts_p . alpha >= 0,
  // instead of one per step: the rows are the same except for the merged
  // counts, which the leaves add.
  std::vector<uint32_t> steps_before(constrained.size() + 1, 0);  // constrained steps before t
  std::vector<uint32_t> step_of;                                   // leaf -> step
  std::vector<int> step_columns(constrained.size(), -1);
  for (size_t t = 0; t < constrained.size(); ++t) {
    steps_before[t + 1] = steps_before[t] + constrained[t];
    if (!constrained[t]) continue;
    step_of.push_back(static_cast<uint32_t>(t));
    step_columns[t] = lp.AddColumn(0, LinearProgram::kInfinity, 1);
  }
  const size_t num_leaves = step_of.size();
  size_t leaves = 1;
  while (leaves < num_leaves) leaves *= 2;
  std::vector<int> node_columns(leaves, -1);  // inner nodes holding at least one step
  for (size_t node = leaves - 1; node >= 1; --node) {
    size_t first_leaf = node;
    while (first_leaf < leaves) first_leaf *= 2;
    if (first_leaf - leaves < num_leaves) {
      node_columns[node] = lp.AddColumn(-LinearProgram::kInfinity, LinearProgram::kInfinity, 0);
    }
  }
  // A row: alpha's coefficients, then other columns.
  std::vector<int> row_columns;
  std::vector<double> row_values;
  auto start_row = [&] {
    row_columns.assign(alpha_columns.begin(), alpha_columns.end());
    row_values.assign(n, 0.0);
  };
  auto add_term = [&](int column, double value) {
    row_columns.push_back(column);
    row_values.push_back(value);
  };
  // Adds a node's value to the row.
  auto add_node = [&](size_t node) {
    if (node < leaves) return add_term(node_columns[node], 1);
    const uint32_t t = step_of[node - leaves];
    for (size_t i = 0; i < n; ++i) row_values[i] += search.MergedCount(i, t);
    add_term(step_columns[t], 1);
  };
  for (size_t node = 2; node < leaves + num_leaves; ++node) {
    if (node < leaves && node_columns[node] < 0) continue;
    start_row();
    add_node(node);
    add_term(node_columns[node / 2], -1);
    lp.AddRow(0, LinearProgram::kInfinity, row_columns, row_values);
  }
  std::vector<int> pair_columns(search.num_pairs(), -1);  // -1: v_p not in the program (0)
  std::vector<uint32_t> pairs_with_columns;
  absl::flat_hash_set<uint64_t> rows_added;  // node << 32 | pair

  ProgramSolution solution;
  std::vector<double> alpha(n, 1.0 / n);
  std::vector<double> pair_slack(search.num_pairs(), 0.0);
  std::vector<double> step_slack(constrained.size(), 0.0);
  double upper = std::numeric_limits<double>::infinity(), lower = 0;
  std::vector<size_t> cover;
  for (solution.rounds = 0; solution.rounds < options.max_rounds; ++solution.rounds) {
    Clock::time_point phase = Clock::now();
    const ConstraintSearch::Sweep sweep =
        search.FindViolated(alpha, pair_slack, step_slack, kTolerance, options.candidates_per_step);
    solution.search_seconds += SecondsSince(phase);
    double pair_total = 0;
    for (uint32_t p : pairs_with_columns) pair_total += pair_slack[p];
    if (sweep.least_step_slack + pair_total < upper) {
      upper = sweep.least_step_slack + pair_total;
      solution.alpha = alpha;
      solution.pair_slack = pair_total;
      solution.steps_with_slack = sweep.steps_with_slack;
      solution.pairs_with_slack = 0;
      for (uint32_t p : pairs_with_columns) solution.pairs_with_slack += pair_slack[p] > 0;
    }
    // The rows of each violated (t, p) over the steps where p's counts are
    // those of step t; rows already in the program are violated only within
    // the solver's tolerance.
    size_t added = 0;
    for (const StepViolation& v : sweep.violated) {
      cover.clear();
      for (size_t l = steps_before[v.first_step] + leaves, r = steps_before[v.end_step] + leaves; l < r;
           l /= 2, r /= 2) {
        if (l & 1) cover.push_back(l++);
        if (r & 1) cover.push_back(--r);
      }
      for (size_t node : cover) {
        if (!rows_added.insert((uint64_t{node} << 32) | v.pair).second) continue;
        start_row();
        add_node(node);
        for (size_t i = 0; i < n; ++i) row_values[i] -= v.pair_counts[i];
        if (options.pair_slack) {
          int& column = pair_columns[v.pair];
          if (column < 0) {
            column = lp.AddColumn(0, LinearProgram::kInfinity, 1);
            pairs_with_columns.push_back(v.pair);
          }
          add_term(column, 1);
        }
        lp.AddRow(0, LinearProgram::kInfinity, row_columns, row_values);
        ++added;
      }
    }
    if (added == 0 || upper - lower <= kRelativeGap * std::max(1.0, upper)) {
      solution.total_slack = upper;
      solution.lower_bound = std::min(lower, upper);
      solution.rows = rows_added.size();
      solution.pair_columns = pairs_with_columns.size();
      return solution;
    }
    phase = Clock::now();
    if (absl::Status s = lp.Solve(); !s.ok()) return s;
    solution.solve_seconds += SecondsSince(phase);
    lower = std::max(lower, lp.Objective());
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += alpha[i] = std::max(0.0, lp.Value(alpha_columns[i]));
    for (double& a : alpha) a /= sum;
    for (uint32_t t : step_of) step_slack[t] = std::max(0.0, lp.Value(step_columns[t]));
    for (uint32_t p : pairs_with_columns) pair_slack[p] = std::max(0.0, lp.Value(pair_columns[p]));
    if (options.on_progress) {
      options.on_progress(absl::StrFormat("round %d: slack between %.6g and %.6g, %d rows, %d pair slacks",
                                          solution.rounds + 1, lower, upper, rows_added.size(),
                                          pairs_with_columns.size()));
    }
  }
  return absl::InternalError(
      absl::StrFormat("the constraint generation did not converge in %d rounds (total slack between %.9g and %.9g)",
                      options.max_rounds, lower, upper));
}

}  // namespace tokgraft::mixture
