#include "methods.h"

#include <cmath>

#include "Eigen/Dense"
#include "absl/strings/str_join.h"

namespace tokgraft::transplant {
namespace {

// Fills unplaced targets of `primary` from the fallbacks in order, recording
// each target's source.
MethodRows WithFallbacks(const std::string& name, Estimate primary,
                         const std::vector<std::pair<std::string, const Estimate*>>& fallbacks) {
  MethodRows out;
  out.source.assign(primary.placed.size(), name);
  for (size_t i = 0; i < primary.placed.size(); ++i) {
    if (primary.placed[i]) continue;
    for (const auto& [fallback, estimate] : fallbacks) {
      if (!estimate->placed[i]) continue;
      std::copy_n(estimate->row(i), primary.dim, primary.row(i));
      primary.placed[i] = true;
      out.source[i] = "fallback:" + name + "->" + fallback;
      break;
    }
  }
  out.rows = std::move(primary);
  return out;
}

// kNN scores best leave-one-out but made the hybrid worse in bits per byte
// on model-a -> model-b, so it is not a component.
const std::vector<std::string>& DonorComponents() {
  static const std::vector<std::string> names = {"omp"};
  return names;
}
const std::vector<std::string>& PieceComponents() {
  static const std::vector<std::string> names = {"fvt", "first", "last"};
  return names;
}

// The components a token has, in a fixed order, joined with '+'.
std::vector<std::string> Available(bool donor_row, bool pieces) {
  std::vector<std::string> names;
  if (donor_row) names = DonorComponents();
  if (pieces) names.insert(names.end(), PieceComponents().begin(), PieceComponents().end());
  names.push_back("mean");
  return names;
}

std::string Key(const std::vector<std::string>& names) { return absl::StrJoin(names, "+"); }

// Non-negative least squares for a handful of components: the best
// unconstrained solution over every subset whose weights are all >= 0.
std::map<std::string, double> NonNegativeFit(const std::vector<std::string>& names, const Eigen::MatrixXd& gram,
                                             const Eigen::VectorXd& rhs) {
  double best_objective = INFINITY;
  std::map<std::string, double> best;
  const size_t n = names.size();
  for (unsigned mask = 1; mask < (1u << n); ++mask) {
    std::vector<size_t> subset;
    for (size_t j = 0; j < n; ++j) {
      if (mask & (1u << j)) subset.push_back(j);
    }
    Eigen::MatrixXd g(subset.size(), subset.size());
    Eigen::VectorXd r(subset.size());
    for (size_t a = 0; a < subset.size(); ++a) {
      r[a] = rhs[subset[a]];
      for (size_t b = 0; b < subset.size(); ++b) g(a, b) = gram(subset[a], subset[b]);
    }
    const Eigen::VectorXd w = g.ldlt().solve(r);
    if (!w.allFinite() || (w.array() < 0).any()) continue;
    const double objective = w.dot(g * w) - 2 * w.dot(r);
    if (objective < best_objective) {
      best_objective = objective;
      best.clear();
      for (const std::string& name : names) best[name] = 0;
      for (size_t a = 0; a < subset.size(); ++a) best[names[subset[a]]] = w[a];
    }
  }
  return best;
}

}  // namespace

HybridWeights DefaultHybridWeights() {
  HybridWeights weights;
  for (bool donor_row : {true, false}) {
    for (bool pieces : {true, false}) {
      std::map<std::string, double>& w = weights[Key(Available(donor_row, pieces))];
      for (const std::string& name : Available(donor_row, pieces)) w[name] = 0;
      if (donor_row && pieces) {
        w["omp"] = w["fvt"] = 0.5;
      } else {
        w[donor_row ? "omp" : pieces ? "fvt" : "mean"] = 1;
      }
    }
  }
  return weights;
}

const std::map<std::string, double>& FullHybridWeights(const HybridWeights& weights) {
  return weights.at(Key(Available(true, true)));
}

HybridWeights FitHybridWeights(const HybridComponents& components, const Estimate& truth,
                               const std::vector<size_t>& use) {
  HybridWeights weights = DefaultHybridWeights();
  if (use.empty()) return weights;
  const std::vector<std::string> all = Available(true, true);
  const size_t n = all.size(), dim = truth.dim;
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(n, n);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n);
  for (size_t t : use) {
    for (size_t a = 0; a < n; ++a) {
      const float* ea = components.at(all[a]).row(t);
      for (size_t i = 0; i < dim; ++i) rhs[a] += double(ea[i]) * truth.row(t)[i];
      for (size_t b = a; b < n; ++b) {
        const float* eb = components.at(all[b]).row(t);
        double dot = 0;
        for (size_t i = 0; i < dim; ++i) dot += double(ea[i]) * eb[i];
        gram(a, b) += dot;
        if (a != b) gram(b, a) += dot;
      }
    }
  }
  for (bool donor_row : {true, false}) {
    for (bool pieces : {true, false}) {
      const std::vector<std::string> names = Available(donor_row, pieces);
      std::vector<size_t> index;
      for (const std::string& c : names) index.push_back(std::find(all.begin(), all.end(), c) - all.begin());
      Eigen::MatrixXd g(index.size(), index.size());
      Eigen::VectorXd r(index.size());
      for (size_t a = 0; a < index.size(); ++a) {
        r[a] = rhs[index[a]];
        for (size_t b = 0; b < index.size(); ++b) g(a, b) = gram(index[a], index[b]);
      }
      std::map<std::string, double> fitted = NonNegativeFit(names, g, r);
      if (!fitted.empty()) weights[Key(names)] = fitted;
    }
  }
  return weights;
}

absl::StatusOr<HybridComponents> EstimateHybridComponents(const MatrixSpaces& spaces, const Targets& targets,
                                                          const MethodContext& context) {
  HybridComponents components;
  absl::StatusOr<Estimate> omp = OmpEstimate(spaces, targets, context.options->omp, context.progress);
  if (!omp.ok()) return omp.status();
  components["omp"] = *std::move(omp);
  components["fvt"] = PieceEstimate(spaces, targets, PieceRule::kMean);
  components["first"] = PieceEstimate(spaces, targets, PieceRule::kFirst);
  components["last"] = PieceEstimate(spaces, targets, PieceRule::kLast);
  components["mean"] = ConstantEstimate(spaces, targets.size(), false);
  return components;
}

MethodRows CombineHybrid(const HybridComponents& components, const HybridWeights& weights) {
  const Estimate& omp = components.at("omp");
  const Estimate& fvt = components.at("fvt");
  const size_t n = omp.placed.size();
  MethodRows out{EmptyEstimate(n, omp.dim), std::vector<std::string>(n)};
  for (size_t i = 0; i < n; ++i) {
    const std::string key = Key(Available(omp.placed[i], fvt.placed[i]));
    out.source[i] = omp.placed[i] && fvt.placed[i] ? "hybrid" : "fallback:hybrid->" + key;
    for (const auto& [component, weight] : weights.at(key)) {
      if (weight == 0) continue;
      const float* row = components.at(component).row(i);
      for (size_t c = 0; c < out.rows.dim; ++c) out.rows.row(i)[c] += static_cast<float>(weight * row[c]);
    }
    out.rows.placed[i] = true;
  }
  return out;
}

absl::StatusOr<MethodRows> EstimateWith(TransplantMethod method, const MatrixSpaces& spaces, const Targets& targets,
                                        const MethodContext& context) {
  const TransplantOptions& options = *context.options;
  const Estimate mean = ConstantEstimate(spaces, targets.size(), false);
  switch (method) {
    case TransplantMethod::kZero:
      return MethodRows{ConstantEstimate(spaces, targets.size(), true), std::vector<std::string>(targets.size(), "zero")};
    case TransplantMethod::kMean:
      return MethodRows{mean, std::vector<std::string>(targets.size(), "mean")};
    case TransplantMethod::kFvt: {
      Estimate fvt = PieceEstimate(spaces, targets, PieceRule::kMean);
      // OMP only for the tokens the base cannot spell.
      Targets unspelled = targets;
      for (size_t i = 0; i < targets.size(); ++i) {
        if (fvt.placed[i]) unspelled.donor_row[i] = -1;
      }
      absl::StatusOr<Estimate> omp = OmpEstimate(spaces, unspelled, options.omp, context.progress);
      if (!omp.ok()) return omp.status();
      return WithFallbacks("fvt", std::move(fvt), {{"omp", &*omp}, {"mean", &mean}});
    }
    case TransplantMethod::kOmp: {
      absl::StatusOr<Estimate> omp = OmpEstimate(spaces, targets, options.omp, context.progress);
      if (!omp.ok()) return omp.status();
      const Estimate fvt = PieceEstimate(spaces, targets, PieceRule::kMean);
      return WithFallbacks("omp", *std::move(omp), {{"fvt", &fvt}, {"mean", &mean}});
    }
    case TransplantMethod::kKnn: {
      const Estimate knn = KnnEstimate(spaces, targets, NearestShared(spaces, targets, options.knn_k));
      const Estimate fvt = PieceEstimate(spaces, targets, PieceRule::kMean);
      return WithFallbacks("knn", knn, {{"fvt", &fvt}, {"mean", &mean}});
    }
    case TransplantMethod::kTokenAdapt: {
      const Estimate local = TokenAdaptLocalEstimate(spaces, targets, *context.piece_facts, context.target_byte_length,
                                                     options.tokenadapt_temperature);
      const Estimate global = SoftmaxNeighbourEstimate(
          spaces, targets, NearestShared(spaces, targets, options.tokenadapt_top_k), options.tokenadapt_temperature);
      Estimate combined = EmptyEstimate(targets.size(), spaces.base.cols);
      const double w = options.tokenadapt_global_weight;
      for (size_t i = 0; i < targets.size(); ++i) {
        if (!local.placed[i] || !global.placed[i]) continue;
        for (size_t c = 0; c < combined.dim; ++c) combined.row(i)[c] = (1 - w) * local.row(i)[c] + w * global.row(i)[c];
        combined.placed[i] = true;
      }
      return WithFallbacks("tokenadapt", std::move(combined),
                           {{"local", &local}, {"global", &global}, {"mean", &mean}});
    }
    case TransplantMethod::kHybrid: {
      absl::StatusOr<HybridComponents> components = EstimateHybridComponents(spaces, targets, context);
      if (!components.ok()) return components.status();
      return CombineHybrid(*components, context.hybrid);
    }
  }
  return absl::InternalError("unknown transplant method");
}

}  // namespace tokgraft::transplant
