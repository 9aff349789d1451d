// Batched OMP. Each step scores every atom against every residual of a batch
// with one matrix product (the cost that dominates: targets x atoms x dim),
// then extends each target's Cholesky factor of the chosen atoms' Gram matrix
// by one row, so that the least-squares coefficients cost O(k^2) per step and
// the residual O(k dim), in float64 whatever the working precision.
//
// The screened (approximate) search replaces the per-step product with all
// atoms by one product per batch (or per rescreen), keeps each target's
// best-scoring atoms as its pool, and runs the same steps on the pool: a
// pool atom's score is (pool . target) - sum_i c_i (pool . chosen_i), with
// the products for chosen atoms computed in small blocks of the atoms that
// score best at the time (the next choices, mostly), so that a block is one
// matrix product instead of one matrix-vector product per step.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "Eigen/Core"
#include "absl/strings/str_format.h"
#include "tokgraft/omp.h"

extern "C" void openblas_set_num_threads(int threads);

namespace tokgraft {
namespace {

template <typename Scalar>
using RowMatrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// In float64, with eight independent partial sums: one running sum is a
// chain of dependent additions (one per 4 cycles), which made Extend the
// screened search's bottleneck.
double Dot(const float* a, const float* b, size_t n) {
  double sum[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (size_t j = 0; j < 8; ++j) sum[j] += static_cast<double>(a[i + j]) * b[i + j];
  }
  for (; i < n; ++i) sum[0] += static_cast<double>(a[i]) * b[i];
  return ((sum[0] + sum[1]) + (sum[2] + sum[3])) + ((sum[4] + sum[5]) + (sum[6] + sum[7]));
}

// One target's state: chosen atoms, the Cholesky factor L of their Gram
// matrix (row-major, k x k, lower), z = L^-1 (atoms . target) and the
// coefficients.
struct TargetState {
  std::vector<int32_t> atoms;
  std::vector<double> chol, z, coefficients;
  bool stopped = false;
};

// Atoms whose products with the pool are computed together when a chosen
// atom has none yet: the chosen one and the best-scoring others.
constexpr size_t kColumnBlock = 16;

// One thread's scratch for the screened search, reused across targets.
template <typename Scalar>
struct PoolWorkspace {
  std::vector<Scalar> keys, sorted_keys;  // one score per atom
  std::vector<int32_t> pool;              // atom ids, ascending
  RowMatrix<Scalar> pool_rows, block_rows;
  // Row r: the products of cached_atom[r] with every pool atom (row 0: of
  // the target). Stride pool.size().
  std::vector<Scalar> products;
  std::vector<int32_t> cached_atom;
  std::vector<int32_t> row_of_pool;   // per pool position: its products row, -1: none yet
  std::vector<int32_t> row_of_chosen; // per chosen atom: its products row
  std::vector<char> taken;            // per pool position: chosen
  std::vector<double> score;
  std::vector<int32_t> order;
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
    if (options_.candidates > 0) {
      SolveBatchScreened(targets, begin, end, excluded, out);
    } else {
      SolveBatchExact(targets, begin, end, excluded, out);
    }
  }

 private:
  void SolveBatchExact(const FloatRows& targets, size_t begin, size_t end, absl::Span<const int32_t> excluded,
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
    Write(states, begin, out);
  }

  // Each segment of rescreen_every steps (all k without rescreening) starts
  // with the residuals scored against all atoms; each target then builds its
  // pool and takes the segment's steps on it alone.
  void SolveBatchScreened(const FloatRows& targets, size_t begin, size_t end, absl::Span<const int32_t> excluded,
                          OmpSolution* out) {
    const size_t batch = end - begin, dim = dict_.cols;
    const int k = options_.k;
    const int segment = options_.rescreen_every > 0 ? options_.rescreen_every : k;
    RowMatrix<Scalar> residual(batch, dim);
    for (size_t b = 0; b < batch; ++b) {
      for (size_t c = 0; c < dim; ++c) residual(b, c) = targets.row(begin + b)[c];
    }
    std::vector<TargetState> states(batch);
    for (TargetState& s : states) {
      s.chol.assign(static_cast<size_t>(k) * k, 0);
      s.z.reserve(k);
    }
    workspaces_.resize(threads_);
    const Eigen::Map<const RowMatrix<Scalar>> atoms(atom_data_, dict_.rows, dim);
    RowMatrix<Scalar> scores(batch, dict_.rows);
    for (int first = 0; first < k; first += segment) {
      const int last = std::min(k, first + segment);
      scores.noalias() = residual * atoms.transpose();
#pragma omp parallel for schedule(dynamic) num_threads(threads_)
      for (size_t b = 0; b < batch; ++b) {
        TargetState& s = states[b];
        if (s.stopped) continue;
        PoolWorkspace<Scalar>& ws = workspaces_[omp_get_thread_num()];
        Scalar* row = scores.row(b).data();
        const Scalar nan = std::numeric_limits<Scalar>::quiet_NaN();
        for (int32_t a : s.atoms) row[a] = nan;
        if (!excluded.empty() && excluded[begin + b] >= 0) row[excluded[begin + b]] = nan;
        SelectPool(row, &ws);
        StepsOnPool(targets.row(begin + b), last - first, &s, &ws);
        if (last < k && !s.stopped) UpdateResidual(targets.row(begin + b), s, residual.row(b).data());
      }
    }
    Write(states, begin, out);
  }

  void Write(const std::vector<TargetState>& states, size_t begin, OmpSolution* out) const {
    const int k = options_.k;
    for (size_t b = 0; b < states.size(); ++b) {
      const TargetState& s = states[b];
      for (size_t j = 0; j < s.atoms.size(); ++j) {
        out->atoms[(begin + b) * k + j] = s.atoms[j];
        out->coefficients[(begin + b) * k + j] = s.coefficients[j];
      }
    }
  }

  // The selection score of atom j with correlation v; -1 for NaN (never).
  Scalar Key(size_t j, Scalar v) const {
    if (std::isnan(v)) return -1;
    return inverse_norm_.empty() ? std::abs(v) : std::abs(v) * inverse_norm_[j];
  }

  // ws->pool: the `candidates` atoms with the largest keys (ties: the lowest
  // indices), ascending; fewer if fewer atoms may be chosen.
  void SelectPool(const Scalar* row, PoolWorkspace<Scalar>* ws) const {
    const size_t n = dict_.rows, m = std::min(options_.candidates, n);
    ws->keys.resize(n);
    for (size_t j = 0; j < n; ++j) ws->keys[j] = Key(j, row[j]);
    ws->sorted_keys = ws->keys;
    std::nth_element(ws->sorted_keys.begin(), ws->sorted_keys.begin() + (m - 1), ws->sorted_keys.end(),
                     std::greater<Scalar>());
    const Scalar threshold = ws->sorted_keys[m - 1];
    size_t above = 0;
    for (size_t j = 0; j < n; ++j) above += ws->keys[j] > threshold;
    size_t ties = m - above;
    ws->pool.clear();
    for (size_t j = 0; j < n; ++j) {
      const Scalar key = ws->keys[j];
      if (key < 0) continue;
      if (key > threshold || (key == threshold && ties > 0 && ties--)) ws->pool.push_back(static_cast<int32_t>(j));
    }
  }

  // Appends to ws->products the products of the pool with `ids` (and first
  // with the target, if not null).
  void CacheProducts(const float* target, const std::vector<int32_t>& ids, PoolWorkspace<Scalar>* ws) const {
    const size_t dim = dict_.cols, p = ws->pool.size(), n = ids.size() + (target != nullptr);
    ws->block_rows.resize(n, dim);
    size_t r = 0;
    if (target) {
      for (size_t c = 0; c < dim; ++c) ws->block_rows(0, c) = target[c];
      ws->cached_atom.push_back(-1);
      r = 1;
    }
    for (int32_t a : ids) {
      std::copy_n(atom_data_ + size_t(a) * dim, dim, ws->block_rows.row(r++).data());
      ws->cached_atom.push_back(a);
    }
    const size_t old_rows = ws->products.size() / std::max<size_t>(p, 1);
    ws->products.resize((old_rows + n) * p);
    Eigen::Map<RowMatrix<Scalar>>(ws->products.data() + old_rows * p, n, p).noalias() =
        ws->block_rows * ws->pool_rows.transpose();
  }

  // Takes up to `steps` OMP steps for one target, choosing among ws->pool.
  void StepsOnPool(const float* target, int steps, TargetState* s, PoolWorkspace<Scalar>* ws) const {
    const size_t dim = dict_.cols, p = ws->pool.size();
    ws->pool_rows.resize(p, dim);
    for (size_t j = 0; j < p; ++j) {
      std::copy_n(atom_data_ + size_t(ws->pool[j]) * dim, dim, ws->pool_rows.row(j).data());
    }
    ws->products.clear();
    ws->cached_atom.clear();
    // Row 0: pool . target; rows 1..t: the atoms chosen before this segment.
    CacheProducts(target, s->atoms, ws);
    ws->row_of_chosen.resize(s->atoms.size());
    std::iota(ws->row_of_chosen.begin(), ws->row_of_chosen.end(), 1);
    ws->row_of_pool.assign(p, -1);
    ws->taken.assign(p, 0);
    ws->score.resize(p);
    for (int step = 0; step < steps; ++step) {
      // Scores of the pool against the residual target - sum_i c_i chosen_i.
      for (size_t j = 0; j < p; ++j) ws->score[j] = ws->products[j];
      for (size_t i = 0; i < s->atoms.size(); ++i) {
        const Scalar* chosen = &ws->products[size_t(ws->row_of_chosen[i]) * p];
        const double c = s->coefficients[i];
        for (size_t j = 0; j < p; ++j) ws->score[j] -= c * chosen[j];
      }
      int32_t best = -1;
      double best_key = -1;
      for (size_t j = 0; j < p; ++j) {
        if (ws->taken[j]) continue;
        const double key = Key(ws->pool[j], static_cast<Scalar>(ws->score[j]));
        ws->score[j] = key;
        if (key > best_key) best_key = key, best = static_cast<int32_t>(j);
      }
      if (best < 0 || !Extend(target, ws->pool[best], s)) {
        s->stopped = true;
        return;
      }
      ws->taken[best] = 1;
      if (ws->row_of_pool[best] < 0 && step + 1 < steps) CacheBlock(best, ws);
      ws->row_of_chosen.push_back(ws->row_of_pool[best]);
    }
  }

  // Caches the products of the pool with the chosen pool atom `best` and with
  // the kColumnBlock - 1 best-scoring others that have none (ws->score holds
  // this step's keys).
  void CacheBlock(int32_t best, PoolWorkspace<Scalar>* ws) const {
    ws->order.clear();
    for (size_t j = 0; j < ws->pool.size(); ++j) {
      if (!ws->taken[j] && ws->row_of_pool[j] < 0) ws->order.push_back(static_cast<int32_t>(j));
    }
    const size_t more = std::min(kColumnBlock - 1, ws->order.size());
    auto better = [&](int32_t a, int32_t b) {
      return ws->score[a] > ws->score[b] || (ws->score[a] == ws->score[b] && a < b);
    };
    std::nth_element(ws->order.begin(), ws->order.begin() + more, ws->order.end(), better);
    ws->order.resize(more);
    ws->order.push_back(best);
    std::vector<int32_t> ids(ws->order.size());
    const int32_t first_row = static_cast<int32_t>(ws->cached_atom.size());
    for (size_t i = 0; i < ws->order.size(); ++i) {
      ids[i] = ws->pool[ws->order[i]];
      ws->row_of_pool[ws->order[i]] = first_row + static_cast<int32_t>(i);
    }
    CacheProducts(nullptr, ids, ws);
  }

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
  std::vector<PoolWorkspace<Scalar>> workspaces_;  // one per thread, screened search
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
  if (options.candidates > 0 && options.candidates < static_cast<size_t>(options.k)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "OMP's candidate pool (%zu atoms) must hold at least k=%d atoms", options.candidates, options.k));
  }
  if (options.rescreen_every < 0) return absl::InvalidArgumentError("OMP: rescreen_every must be >= 0");
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

std::string OmpAtomSearchName(const OmpOptions& options) {
  if (options.candidates == 0) return "exact";
  std::string name = absl::StrFormat("screened: %zu candidates per token", options.candidates);
  if (options.rescreen_every > 0) name += absl::StrFormat(", rescreened every %d steps", options.rescreen_every);
  return name;
}

}  // namespace tokgraft
