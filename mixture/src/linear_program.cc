#include "linear_program.h"

#include <ClpSimplex.hpp>

#include "absl/strings/str_format.h"

namespace tokgraft::mixture {
namespace {

double ClpBound(double v) {
  if (v == LinearProgram::kInfinity) return COIN_DBL_MAX;
  if (v == -LinearProgram::kInfinity) return -COIN_DBL_MAX;
  return v;
}

}  // namespace

LinearProgram::LinearProgram() : model_(std::make_unique<ClpSimplex>()) {
  model_->setLogLevel(0);
  model_->setOptimizationDirection(1);
}

LinearProgram::~LinearProgram() = default;

int LinearProgram::AddColumn(double lower, double upper, double cost) {
  column_lower_.push_back(ClpBound(lower));
  column_upper_.push_back(ClpBound(upper));
  column_cost_.push_back(cost);
  return columns_++;
}

void LinearProgram::AddRow(double lower, double upper, absl::Span<const int> columns,
                           absl::Span<const double> values) {
  row_lower_.push_back(ClpBound(lower));
  row_upper_.push_back(ClpBound(upper));
  row_columns_.insert(row_columns_.end(), columns.begin(), columns.end());
  row_values_.insert(row_values_.end(), values.begin(), values.end());
  row_starts_.push_back(static_cast<int>(row_columns_.size()));
  ++rows_;
}

absl::Status LinearProgram::Solve() {
  if (!column_cost_.empty()) {
    // New columns have no entries in the existing rows.
    const std::vector<CoinBigIndex> starts(column_cost_.size() + 1, 0);
    model_->addColumns(static_cast<int>(column_cost_.size()), column_lower_.data(), column_upper_.data(),
                       column_cost_.data(), starts.data(), nullptr, nullptr);
    column_lower_.clear();
    column_upper_.clear();
    column_cost_.clear();
  }
  if (!row_lower_.empty()) {
    const std::vector<CoinBigIndex> starts(row_starts_.begin(), row_starts_.end());
    model_->addRows(static_cast<int>(row_lower_.size()), row_lower_.data(), row_upper_.data(), starts.data(),
                    row_columns_.data(), row_values_.data());
    row_lower_.clear();
    row_upper_.clear();
    row_starts_.assign(1, 0);
    row_columns_.clear();
    row_values_.clear();
  }
  // The first solve lets CLP choose; later ones continue from the last basis
  // with the dual simplex (the new rows make it primal infeasible only).
  if (solved_before_) {
    model_->dual();
  } else {
    model_->initialSolve();
    solved_before_ = true;
  }
  if (!model_->isProvenOptimal()) {
    return absl::InternalError(
        absl::StrFormat("the LP solver (CLP) stopped without an optimum (status %d)", model_->status()));
  }
  return absl::OkStatus();
}

double LinearProgram::Value(int column) const { return model_->primalColumnSolution()[column]; }

double LinearProgram::Objective() const { return model_->objectiveValue(); }

}  // namespace tokgraft::mixture
