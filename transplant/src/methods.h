// The transplant methods, built from the estimators, each with the fallbacks
// it takes when it cannot place a token; and the hybrid's weight fitting.
#ifndef TOKGRAFT_TRANSPLANT_METHODS_H_
#define TOKGRAFT_TRANSPLANT_METHODS_H_

#include <map>
#include <string>
#include <vector>

#include "estimators.h"
#include "tokgraft/transplant.h"

namespace tokgraft::transplant {

// The hybrid's components: from the donor's space "omp", from the base's
// pieces "fvt" (their mean), "first" and "last" (one piece), and the base
// "mean". Weights are kept for each set of components a token may have
// (joined with '+': all of them, the donor's and the mean, the pieces' and
// the mean, the mean alone).
using HybridWeights = std::map<std::string, std::map<std::string, double>>;
using HybridComponents = std::map<std::string, Estimate>;

struct MethodContext {
  const TransplantOptions* options = nullptr;
  const PieceFacts* piece_facts = nullptr;
  std::vector<uint32_t> target_byte_length;  // per target
  HybridWeights hybrid;
  std::function<void(size_t, size_t)> progress;  // OMP's progress
};

struct MethodRows {
  Estimate rows;
  std::vector<std::string> source;  // per target: "omp", "fallback:fvt->mean", ...
};

absl::StatusOr<MethodRows> EstimateWith(TransplantMethod method, const MatrixSpaces& spaces, const Targets& targets,
                                        const MethodContext& context);

absl::StatusOr<HybridComponents> EstimateHybridComponents(const MatrixSpaces& spaces, const Targets& targets,
                                                          const MethodContext& context);

// Fits the hybrid's non-negative weights by least squares to `truth` (one
// base row per target) from leave-one-out estimates of each component, on
// the targets `use`.
HybridWeights FitHybridWeights(const HybridComponents& components, const Estimate& truth,
                               const std::vector<size_t>& use);

// The weights for the set of all components, for the report.
const std::map<std::string, double>& FullHybridWeights(const HybridWeights& weights);

// Each target's row from the components it has and the weights for them.
MethodRows CombineHybrid(const HybridComponents& components, const HybridWeights& weights);

// Weights used when there is nothing to fit them to.
HybridWeights DefaultHybridWeights();

}  // namespace tokgraft::transplant

#endif  // TOKGRAFT_TRANSPLANT_METHODS_H_
