#include <algorithm>

#include "absl/strings/str_format.h"
#include "tokgraft/dynamic_merge.h"

namespace tokgraft {

absl::StatusOr<std::vector<float>> DynamicTokenEmbeddings(absl::Span<const float> embeddings, size_t rows,
                                                          size_t dim, absl::Span<const DynamicToken> vocabulary) {
  if (dim == 0 || embeddings.size() / dim != rows || embeddings.size() % dim != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "the embedding matrix has %d floats, not %d rows x %d columns", embeddings.size(), rows, dim));
  }
  std::vector<float> out(vocabulary.size() * dim);
  std::vector<double> sum(dim);  // doubles: long tokens add many rows
  for (size_t t = 0; t < vocabulary.size(); ++t) {
    const DynamicToken& token = vocabulary[t];
    if (token.parts.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat("dynamic token %d has no parts", token.id));
    }
    std::fill(sum.begin(), sum.end(), 0.0);
    for (uint32_t part : token.parts) {
      if (part >= rows) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "dynamic token %d: part %d has no row in an embedding matrix of %d rows", token.id, part, rows));
      }
      const float* row = embeddings.data() + part * dim;
      for (size_t k = 0; k < dim; ++k) sum[k] += row[k];
    }
    for (size_t k = 0; k < dim; ++k) out[t * dim + k] = static_cast<float>(sum[k] / static_cast<double>(token.parts.size()));
  }
  return out;
}

}  // namespace tokgraft
