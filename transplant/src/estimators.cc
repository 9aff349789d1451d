#include "estimators.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "Eigen/Core"

namespace tokgraft::transplant {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void AddScaled(const float* row, double weight, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] += static_cast<float>(weight * row[i]);
}

// Replaces logits by their softmax weights.
void Softmax(std::vector<double>* logits) {
  const double top = *std::max_element(logits->begin(), logits->end());
  double sum = 0;
  for (double& v : *logits) sum += v = std::exp(v - top);
  for (double& v : *logits) v /= sum;
}

}  // namespace

double Cosine(const float* a, const float* b, size_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < n; ++i) ab += double(a[i]) * b[i], aa += double(a[i]) * a[i], bb += double(b[i]) * b[i];
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
}

Estimate EmptyEstimate(size_t targets, size_t dim) {
  Estimate e;
  e.dim = dim;
  e.values.assign(targets * dim, 0.0f);
  e.placed.assign(targets, false);
  return e;
}

absl::StatusOr<Estimate> OmpEstimate(const MatrixSpaces& spaces, const Targets& targets, const OmpOptions& options,
                                     const std::function<void(size_t, size_t)>& progress) {
  Estimate e = EmptyEstimate(targets.size(), spaces.base.cols);
  std::vector<size_t> which;  // targets with a donor row
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets.donor_row[i] >= 0) which.push_back(i);
  }
  if (which.empty()) return e;
  const size_t dim = spaces.donor.cols;
  std::vector<float> rows(which.size() * dim);
  std::vector<int32_t> excluded;
  for (size_t j = 0; j < which.size(); ++j) {
    std::copy_n(spaces.donor.row(targets.donor_row[which[j]]), dim, rows.begin() + j * dim);
    if (!targets.excluded_atom.empty()) excluded.push_back(targets.excluded_atom[which[j]]);
  }
  absl::StatusOr<OmpSolution> solution =
      SolveOmp(spaces.atom_rows(), FloatRows{rows.data(), which.size(), dim}, options, excluded, progress);
  if (!solution.ok()) return solution.status();
  const int k = solution->k;
  for (size_t j = 0; j < which.size(); ++j) {
    float* out = e.row(which[j]);
    for (int a = 0; a < k; ++a) {
      const int32_t atom = solution->atoms[j * k + a];
      if (atom < 0) break;
      AddScaled(spaces.base.row((*spaces.shared_base)[atom]), solution->coefficients[j * k + a], e.dim, out);
    }
    e.placed[which[j]] = true;
  }
  return e;
}

Estimate PieceEstimate(const MatrixSpaces& spaces, const Targets& targets, PieceRule rule) {
  Estimate e = EmptyEstimate(targets.size(), spaces.base.cols);
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::vector<uint32_t>& pieces = targets.pieces[i];
    if (pieces.empty()) continue;
    switch (rule) {
      case PieceRule::kMean:
        for (uint32_t p : pieces) AddScaled(spaces.base.row(p), 1.0 / pieces.size(), e.dim, e.row(i));
        break;
      case PieceRule::kFirst:
        AddScaled(spaces.base.row(pieces.front()), 1, e.dim, e.row(i));
        break;
      case PieceRule::kLast:
        AddScaled(spaces.base.row(pieces.back()), 1, e.dim, e.row(i));
        break;
    }
    e.placed[i] = true;
  }
  return e;
}

Estimate ConstantEstimate(const MatrixSpaces& spaces, size_t targets, bool zero) {
  Estimate e = EmptyEstimate(targets, spaces.base.cols);
  for (size_t i = 0; i < targets; ++i) {
    if (!zero) std::copy(spaces.base_mean.begin(), spaces.base_mean.end(), e.row(i));
    e.placed[i] = true;
  }
  return e;
}

Neighbours NearestShared(const MatrixSpaces& spaces, const Targets& targets, int k) {
  const size_t m = spaces.shared_donor->size(), dim = spaces.donor.cols;
  Neighbours n;
  n.k = k;
  n.index.assign(targets.size() * k, -1);
  n.similarity.assign(targets.size() * k, 0.0f);
  RowMatrix atoms = Eigen::Map<const RowMatrix>(spaces.atoms.data(), m, dim);
  atoms.rowwise().normalize();
  const size_t batch = 1024;
  for (size_t begin = 0; begin < targets.size(); begin += batch) {
    const size_t end = std::min(targets.size(), begin + batch);
    RowMatrix queries = RowMatrix::Zero(end - begin, dim);
    for (size_t i = begin; i < end; ++i) {
      if (targets.donor_row[i] < 0) continue;
      queries.row(i - begin) = Eigen::Map<const Eigen::RowVectorXf>(spaces.donor.row(targets.donor_row[i]), dim);
      queries.row(i - begin).normalize();
    }
    const RowMatrix sims = queries * atoms.transpose();
#pragma omp parallel for schedule(dynamic, 16) num_threads(spaces.threads > 0 ? spaces.threads : 1)
    for (size_t i = begin; i < end; ++i) {
      if (targets.donor_row[i] < 0) continue;
      const int32_t hidden = targets.excluded_atom.empty() ? -1 : targets.excluded_atom[i];
      std::vector<int32_t> order;
      order.reserve(m);
      for (size_t a = 0; a < m; ++a) {
        if (static_cast<int32_t>(a) != hidden) order.push_back(static_cast<int32_t>(a));
      }
      const size_t keep = std::min<size_t>(k, order.size());
      const float* row = sims.row(i - begin).data();
      std::partial_sort(order.begin(), order.begin() + keep, order.end(), [row](int32_t a, int32_t b) {
        return row[a] > row[b] || (row[a] == row[b] && a < b);
      });
      for (size_t j = 0; j < keep; ++j) {
        n.index[i * k + j] = order[j];
        n.similarity[i * k + j] = row[order[j]];
      }
    }
  }
  return n;
}

namespace {

template <typename Weigh>
Estimate WeightedNeighbours(const MatrixSpaces& spaces, const Targets& targets, const Neighbours& n, Weigh weigh) {
  Estimate e = EmptyEstimate(targets.size(), spaces.base.cols);
  for (size_t i = 0; i < targets.size(); ++i) {
    std::vector<double> weights;
    std::vector<uint32_t> rows;
    for (int j = 0; j < n.k && n.index[i * n.k + j] >= 0; ++j) {
      weights.push_back(n.similarity[i * n.k + j]);
      rows.push_back((*spaces.shared_base)[n.index[i * n.k + j]]);
    }
    if (rows.empty()) continue;
    weigh(&weights);
    for (size_t j = 0; j < rows.size(); ++j) AddScaled(spaces.base.row(rows[j]), weights[j], e.dim, e.row(i));
    e.placed[i] = true;
  }
  return e;
}

}  // namespace

Estimate KnnEstimate(const MatrixSpaces& spaces, const Targets& targets, const Neighbours& neighbours) {
  return WeightedNeighbours(spaces, targets, neighbours, [](std::vector<double>* w) {
    double sum = 0;
    for (double& v : *w) sum += v = 1 / (1 - v + 1e-6);
    for (double& v : *w) v /= sum;
  });
}

Estimate SoftmaxNeighbourEstimate(const MatrixSpaces& spaces, const Targets& targets, const Neighbours& neighbours,
                                  double temperature) {
  return WeightedNeighbours(spaces, targets, neighbours, [temperature](std::vector<double>* w) {
    for (double& v : *w) v /= temperature;
    Softmax(w);
  });
}

Estimate TokenAdaptLocalEstimate(const MatrixSpaces& spaces, const Targets& targets, const PieceFacts& facts,
                                 const std::vector<uint32_t>& target_byte_length, double temperature) {
  Estimate e = EmptyEstimate(targets.size(), spaces.base.cols);
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::vector<uint32_t>& pieces = targets.pieces[i];
    if (pieces.empty()) continue;
    std::vector<double> logits;
    for (uint32_t p : pieces) {
      double similarity = 0;
      const int64_t donor_row = facts.donor_row_of_base[p];
      if (targets.donor_row[i] >= 0 && donor_row >= 0) {
        similarity = Cosine(spaces.donor.row(targets.donor_row[i]), spaces.donor.row(donor_row), spaces.donor.cols);
      }
      const double relative_length =
          target_byte_length[i] > 0 ? double(facts.base_byte_length[p]) / target_byte_length[i] : 0;
      logits.push_back((similarity + relative_length) / 2 / temperature);
    }
    Softmax(&logits);
    for (size_t j = 0; j < pieces.size(); ++j) AddScaled(spaces.base.row(pieces[j]), logits[j], e.dim, e.row(i));
    e.placed[i] = true;
  }
  return e;
}

}  // namespace tokgraft::transplant
