// A linear program that grows between solves (columns and rows are added,
// never removed), solved by COIN-OR CLP. Each solve starts from the previous
// optimal basis, which is what makes lazy constraint generation cheap: the
// added rows are violated, and the dual simplex repairs them from there.
#ifndef TOKGRAFT_MIXTURE_LINEAR_PROGRAM_H_
#define TOKGRAFT_MIXTURE_LINEAR_PROGRAM_H_

#include <limits>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

class ClpSimplex;

namespace tokgraft::mixture {

class LinearProgram {
 public:
  static constexpr double kInfinity = std::numeric_limits<double>::infinity();

  LinearProgram();
  ~LinearProgram();
  LinearProgram(const LinearProgram&) = delete;
  LinearProgram& operator=(const LinearProgram&) = delete;

  // Minimisation. Returns the new column's index.
  int AddColumn(double lower, double upper, double cost);
  // lower <= sum_k values[k] * x[columns[k]] <= upper.
  void AddRow(double lower, double upper, absl::Span<const int> columns, absl::Span<const double> values);

  // Solves the program with everything added so far. Fails (Internal) if the
  // solver does not reach an optimum.
  absl::Status Solve();

  double Value(int column) const;
  double Objective() const;
  int num_rows() const { return rows_; }
  int num_columns() const { return columns_; }

 private:
  std::unique_ptr<ClpSimplex> model_;
  bool solved_before_ = false;
  int rows_ = 0;
  int columns_ = 0;
  // Added since the last solve.
  std::vector<double> column_lower_, column_upper_, column_cost_;
  std::vector<double> row_lower_, row_upper_;
  std::vector<int> row_starts_ = {0};
  std::vector<int> row_columns_;
  std::vector<double> row_values_;
};

}  // namespace tokgraft::mixture

#endif  // TOKGRAFT_MIXTURE_LINEAR_PROGRAM_H_
