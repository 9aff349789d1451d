// Orthogonal Matching Pursuit over a dictionary of atoms, batched: the
// solver behind `tokgraft transplant --method omp`, public for benchmarks.
#ifndef TOKGRAFT_OMP_H_
#define TOKGRAFT_OMP_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace tokgraft {

// A row-major matrix of float32 values that someone else owns.
struct FloatRows {
  const float* data = nullptr;
  size_t rows = 0;
  size_t cols = 0;
  const float* row(size_t i) const { return data + i * cols; }
};

struct OmpOptions {
  int k = 64;  // atoms per target
  // Choose each atom by |<residual, atom>| / |atom| instead of the raw
  // |<residual, atom>| (mergekit's batch_omp uses the raw correlation).
  bool normalize_atoms = false;
  // Correlations and residuals in float64 instead of float32. The least-
  // squares coefficients are always solved in float64.
  bool fp64 = false;
  size_t batch = 256;  // targets per step of matrix products
  int threads = 0;     // 0: all cores
  // Approximate atom search, opt-in; 0 keeps exact OMP (every atom scored at
  // every step). Otherwise each target's atoms are chosen from a pool: the
  // `candidates` atoms that score best against the target in one pass over
  // all atoms (one matrix product per batch), after which OMP runs on the
  // pool alone, its scores kept current through the pool's inner products
  // with the chosen atoms. An atom outside the pool is never chosen, so the
  // atoms may differ from exact OMP's; the coefficients are still the exact
  // least squares on the atoms chosen. Must be at least k.
  size_t candidates = 0;
  // With candidates: every `rescreen_every` steps the residuals are scored
  // against all atoms again and the pool is rebuilt from them (0: never).
  // Each rescreen costs as much as one step of exact OMP.
  int rescreen_every = 0;
};

// "exact", or the approximate search's parameters, e.g.
// "screened: 1024 candidates per token, rescreened every 16 steps".
std::string OmpAtomSearchName(const OmpOptions& options);

// For target i, atoms[i*k + j] is the j-th atom chosen (in order of choice)
// and coefficients[i*k + j] its least-squares coefficient. A target whose
// chosen atoms become linearly dependent stops early: its remaining slots
// hold atom -1 with coefficient 0.
struct OmpSolution {
  int k = 0;
  std::vector<int32_t> atoms;
  std::vector<double> coefficients;
};

// Approximates each row of `targets` by k rows of `dictionary`, chosen
// greedily by correlation with the residual (ties: the lowest index), the
// residual being orthogonal to every chosen atom after each step. If
// `excluded` is not empty, atom excluded[i] may not be chosen for target i
// (-1: none); used for leave-one-out estimates. `progress(done, total)` is
// called after each batch.
absl::StatusOr<OmpSolution> SolveOmp(const FloatRows& dictionary, const FloatRows& targets, const OmpOptions& options,
                                     absl::Span<const int32_t> excluded = {},
                                     const std::function<void(size_t, size_t)>& progress = nullptr);

}  // namespace tokgraft

#endif  // TOKGRAFT_OMP_H_
