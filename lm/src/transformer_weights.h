// The weights of a Llama-family checkpoint as float32 matrices, checked
// against the config: every tensor present, every shape right.
#ifndef TOKGRAFT_LM_TRANSFORMER_WEIGHTS_H_
#define TOKGRAFT_LM_TRANSFORMER_WEIGHTS_H_

#include <string>
#include <vector>

#include "Eigen/Core"
#include "absl/status/statusor.h"
#include "tokgraft/lm.h"

namespace tokgraft {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::Matrix<float, 1, Eigen::Dynamic>;  // a row

// y = x W^T (+ b): W is (out x in) as stored by HF; b may be empty.
struct Linear {
  Matrix weight;
  Vector bias;
};

struct TransformerLayer {
  Vector input_norm, post_attention_norm;
  Linear q, k, v, o, gate, up, down;
};

struct TransformerWeights {
  Matrix embed;    // vocab x hidden
  Matrix lm_head;  // vocab x hidden; empty when tied to embed
  Vector final_norm;
  std::vector<TransformerLayer> layers;
  const Matrix& output() const { return lm_head.size() ? lm_head : embed; }
};

// Reads model.safetensors, or the shards named by model.safetensors.index.json.
absl::StatusOr<TransformerWeights> LoadTransformerWeights(const std::string& folder, const TransformerConfig& config);

}  // namespace tokgraft

#endif  // TOKGRAFT_LM_TRANSFORMER_WEIGHTS_H_
