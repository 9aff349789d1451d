// Batched OMP. Each step scores every atom against every residual of a batch
// with one matrix product (the cost that dominates: targets x atoms x dim),
// then extends each target's Cholesky factor of the chosen atoms' Gram matrix
// by one row, so that the least-squares coefficients cost O(k^2) per step and
// the residual O(k dim), in float64 whatever the working precision.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "Eigen/Core"
#include "absl/strings/str_format.h"
#include "tokgraft/omp.h"

extern "C" void openblas_set_num_threads(int threads);

namespace tokgraft {
namespace {

template <typename Scalar>
using RowMatrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double Dot(const float* a, const float* b, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

// One target's state: chosen atoms, the Cholesky factor L of their Gram
// matrix (row-major, k x k, lower), z = L^-1 (atoms . target) and the
// coefficients.
struct TargetState {
  std::vector<int32_t> atoms;
  std::vector<double> chol, z, coefficients;
  bool stopped = false;
};

template <typename Scalar>
class OmpSolver {
 public:
  OmpSolver(const FloatRows& dictionary, const OmpOptions& options, int threads)
      : dict_(dictionary), options_(options), threads_(threads) {
    if constexpr (std::is_same_v<Scalar, float>) {
      atom_data_ = dictionary.data;
    } else {
      owned_ = Eigen::Map<const RowMatrix<float>>(dictionary.data, dictionary.rows, dictionary.cols).cast<double>();
      atom_data_ = owned_.data();
    }
    if (options.normalize_atoms) {
      inverse_norm_.resize(dictionary.rows);
      for (size_t j = 0; j < dictionary.rows; ++j) {
        const double norm = std::sqrt(Dot(dictionary.row(j), dictionary.row(j), dictionary.cols));
        inverse_norm_[j] = norm > 0 ? static_cast<Scalar>(1 / norm) : 0;
      }
    }
  }

  // Solves targets [begin, end) into `out`.
  void SolveBatch(const FloatRows& targets, size_t begin, size_t end, absl::Span<const int32_t> excluded,
                  OmpSolution* out) {
    const size_t batch = end - begin, dim = dict_.cols;
    const int k = options_.k;
    RowMatrix<Scalar> residual(batch, dim);
    for (size_t b = 0; b < batch; ++b) {
      for (size_t c = 0; c < dim; ++c) residual(b, c) = targets.row(begin + b)[c];
    }
    std::vector<TargetState> states(batch);
    for (TargetState& s : states) {
      s.chol.assign(static_cast<size_t>(k) * k, 0);
      s.z.reserve(k);
    }
    const Eigen::Map<const RowMatrix<Scalar>> atoms(atom_data_, dict_.rows, dim);
    RowMatrix<Scalar> scores(batch, dict_.rows);
    for (int step = 0; step < k; ++step) {
      scores.noalias() = residual * atoms.transpose();
#pragma omp parallel for schedule(dynamic) num_threads(threads_)
      for (size_t b = 0; b < batch; ++b) {
        TargetState& s = states[b];
        if (s.stopped) continue;
        Scalar* row = scores.row(b).data();
        const Scalar nan = std::numeric_limits<Scalar>::quiet_NaN();
        for (int32_t a : s.atoms) row[a] = nan;  // never chosen twice
        if (!excluded.empty() && excluded[begin + b] >= 0) row[excluded[begin + b]] = nan;
        const int32_t best = ArgMaxAbs(row);
        if (best < 0 || !Extend(targets.row(begin + b), best, &s)) {
          s.stopped = true;
          continue;
        }
        UpdateResidual(targets.row(begin + b), s, residual.row(b).data());
      }
    }
    for (size_t b = 0; b < batch; ++b) {
      const TargetState& s = states[b];
      for (size_t j = 0; j < s.atoms.size(); ++j) {
        out->atoms[(begin + b) * k + j] = s.atoms[j];
        out->coefficients[(begin + b) * k + j] = s.coefficients[j];
      }
    }
  }

 private:
  // Strict comparison: the lowest index wins a tie; NaN never wins.
  int32_t ArgMaxAbs(const Scalar* row) const {
    int32_t best = -1;
    Scalar best_value = -1;
    const size_t n = dict_.rows;
    if (inverse_norm_.empty()) {
      for (size_t j = 0; j < n; ++j) {
        const Scalar v = std::abs(row[j]);
        if (v > best_value) best_value = v, best = static_cast<int32_t>(j);
      }
    } else {
      for (size_t j = 0; j < n; ++j) {
        const Scalar v = std::abs(row[j]) * inverse_norm_[j];
        if (v > best_value) best_value = v, best = static_cast<int32_t>(j);
      }
    }
    return best;
  }

  // Adds atom `a` to the target's factorization. False if it is (numerically)
  // in the span of the atoms already chosen.
  bool Extend(const float* target, int32_t a, TargetState* s) const {
    const size_t t = s->atoms.size(), dim = dict_.cols;
    const int k = options_.k;
    const float* atom = dict_.row(a);
    double* row = &s->chol[t * k];
    double squared = Dot(atom, atom, dim), rest = squared;
    for (size_t i = 0; i < t; ++i) {
      double v = Dot(dict_.row(s->atoms[i]), atom, dim);
      for (size_t j = 0; j < i; ++j) v -= s->chol[i * k + j] * row[j];
      row[i] = v / s->chol[i * k + i];
      rest -= row[i] * row[i];
    }
    if (!(rest > 1e-10 * squared)) return false;
    row[t] = std::sqrt(rest);
    double z = Dot(atom, target, dim);
    for (size_t j = 0; j < t; ++j) z -= row[j] * s->z[j];
    s->z.push_back(z / row[t]);
    s->atoms.push_back(a);
    // Back substitution: L^T coefficients = z.
    s->coefficients.assign(t + 1, 0);
    for (size_t i = t + 1; i-- > 0;) {
      double v = s->z[i];
      for (size_t j = i + 1; j <= t; ++j) v -= s->chol[j * k + i] * s->coefficients[j];
      s->coefficients[i] = v / s->chol[i * k + i];
    }
    return true;
  }

  void UpdateResidual(const float* target, const TargetState& s, Scalar* residual) const {
    const size_t dim = dict_.cols;
    std::vector<double> r(target, target + dim);
    for (size_t j = 0; j < s.atoms.size(); ++j) {
      const float* atom = dict_.row(s.atoms[j]);
      const double c = s.coefficients[j];
      for (size_t i = 0; i < dim; ++i) r[i] -= c * atom[i];
    }
    for (size_t i = 0; i < dim; ++i) residual[i] = static_cast<Scalar>(r[i]);
  }

  const FloatRows dict_;
  const OmpOptions options_;
  const int threads_;
  RowMatrix<double> owned_;  // the dictionary widened, in float64 mode
  const Scalar* atom_data_ = nullptr;
  std::vector<Scalar> inverse_norm_;
};

template <typename Scalar>
void Solve(const FloatRows& dictionary, const FloatRows& targets, const OmpOptions& options, int threads,
           absl::Span<const int32_t> excluded, const std::function<void(size_t, size_t)>& progress,
           OmpSolution* out) {
  OmpSolver<Scalar> solver(dictionary, options, threads);
  const size_t batch = std::max<size_t>(1, options.batch);
  for (size_t begin = 0; begin < targets.rows; begin += batch) {
    const size_t end = std::min(targets.rows, begin + batch);
    solver.SolveBatch(targets, begin, end, excluded, out);
    if (progress) progress(end, targets.rows);
  }
}

}  // namespace

absl::StatusOr<OmpSolution> SolveOmp(const FloatRows& dictionary, const FloatRows& targets, const OmpOptions& options,
                                     absl::Span<const int32_t> excluded,
                                     const std::function<void(size_t, size_t)>& progress) {
  if (options.k < 1) return absl::InvalidArgumentError(absl::StrFormat("OMP needs k >= 1, got %d", options.k));
  if (dictionary.rows < static_cast<size_t>(options.k)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("OMP cannot choose k=%d atoms from %zu shared tokens", options.k, dictionary.rows));
  }
  if (dictionary.cols != targets.cols) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "OMP: atoms have dimension %zu but targets have %zu", dictionary.cols, targets.cols));
  }
  if (!excluded.empty() && excluded.size() != targets.rows) {
    return absl::InvalidArgumentError("OMP: one excluded atom per target is needed");
  }
  OmpSolution solution;
  solution.k = options.k;
  solution.atoms.assign(targets.rows * options.k, -1);
  solution.coefficients.assign(targets.rows * options.k, 0);
  const int threads = options.threads > 0 ? options.threads : omp_get_num_procs();
  openblas_set_num_threads(threads);
  if (options.fp64) {
    Solve<double>(dictionary, targets, options, threads, excluded, progress, &solution);
  } else {
    Solve<float>(dictionary, targets, options, threads, excluded, progress, &solution);
  }
  return solution;
}

}  // namespace tokgraft
