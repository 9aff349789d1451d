// Ways to estimate the base-space row of a token the base lacks, from the
// donor's space (where the token has a row) and from the base's own pieces
// of the token's bytes. Each estimator fills rows for a set of targets and
// says which targets it could place.
#ifndef TOKGRAFT_TRANSPLANT_ESTIMATORS_H_
#define TOKGRAFT_TRANSPLANT_ESTIMATORS_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/omp.h"

namespace tokgraft::transplant {

// One matrix seen from both sides: the donor's (where similarities are
// measured) and the base's (whose rows are combined).
struct MatrixSpaces {
  FloatRows donor;  // donor rows, any width
  FloatRows base;   // base rows, the output's width
  // Shared tokens: donor row shared_donor[i] is base row shared_base[i].
  const std::vector<uint32_t>* shared_donor = nullptr;
  const std::vector<uint32_t>* shared_base = nullptr;
  std::vector<float> atoms;      // donor rows of the shared tokens, contiguous
  std::vector<float> base_mean;  // mean of the base rows of the base's tokens
  int threads = 0;

  FloatRows atom_rows() const { return {atoms.data(), shared_donor->size(), donor.cols}; }
};

// Tokens to estimate. donor_row[i] < 0: the donor has no row for target i;
// empty pieces[i]: the base cannot spell it.
struct Targets {
  std::vector<int64_t> donor_row;
  std::vector<std::vector<uint32_t>> pieces;  // base ids
  std::vector<int32_t> excluded_atom;         // leave-one-out: this shared index is hidden (or -1)
  size_t size() const { return donor_row.size(); }
};

// Rows for some targets: values[i*dim...] is valid where placed[i].
struct Estimate {
  size_t dim = 0;
  std::vector<float> values;
  std::vector<bool> placed;
  const float* row(size_t i) const { return values.data() + i * dim; }
  float* row(size_t i) { return values.data() + i * dim; }
};

Estimate EmptyEstimate(size_t targets, size_t dim);

// OMP in the donor's space; the coefficients applied to the base rows.
absl::StatusOr<Estimate> OmpEstimate(const MatrixSpaces& spaces, const Targets& targets, const OmpOptions& options,
                                     const std::function<void(size_t, size_t)>& progress = nullptr);

// From the base rows of the pieces: their mean (FVT), or the first or the
// last piece alone.
enum class PieceRule { kMean, kFirst, kLast };
Estimate PieceEstimate(const MatrixSpaces& spaces, const Targets& targets, PieceRule rule);

// Every target gets the base mean row (or zeros).
Estimate ConstantEstimate(const MatrixSpaces& spaces, size_t targets, bool zero);

// The k most similar shared tokens by cosine in the donor space (the hidden
// atom excluded): indices into the shared list and similarities, k per target
// (-1 where fewer exist).
struct Neighbours {
  int k = 0;
  std::vector<int32_t> index;
  std::vector<float> similarity;
};
Neighbours NearestShared(const MatrixSpaces& spaces, const Targets& targets, int k);

// kNN: neighbours weighted by inverse cosine distance.
Estimate KnnEstimate(const MatrixSpaces& spaces, const Targets& targets, const Neighbours& neighbours);

// TokenAdapt's global estimate: neighbours weighted by softmax(similarity / temperature).
Estimate SoftmaxNeighbourEstimate(const MatrixSpaces& spaces, const Targets& targets, const Neighbours& neighbours,
                                  double temperature);

// TokenAdapt's local estimate: the pieces weighted by
// softmax(((similarity + relative length) / 2) / temperature), where the
// similarity of a piece is the donor-space cosine between the token and the
// donor token with the piece's bytes (0 when the donor has none).
struct PieceFacts {
  std::vector<int64_t> donor_row_of_base;   // per base id: donor row with the same bytes, or -1
  std::vector<uint32_t> base_byte_length;   // per base id
};
Estimate TokenAdaptLocalEstimate(const MatrixSpaces& spaces, const Targets& targets, const PieceFacts& facts,
                                 const std::vector<uint32_t>& target_byte_length, double temperature);

double Cosine(const float* a, const float* b, size_t n);

}  // namespace tokgraft::transplant

#endif  // TOKGRAFT_TRANSPLANT_ESTIMATORS_H_
