#include "transformer_weights.h"

#include <memory>

#include "absl/strings/str_format.h"
#include "tokgraft/checkpoint.h"

namespace tokgraft {
namespace {

absl::Status LoadMatrix(const CheckpointTensors& source, const std::string& name, int rows, int cols, Matrix* out) {
  out->resize(rows, cols);
  return source.ReadFloat32(name, {rows, cols}, out->data());
}

absl::Status LoadVector(const CheckpointTensors& source, const std::string& name, int size, bool optional,
                        Vector* out) {
  if (optional && source.Find(name) == nullptr) return absl::OkStatus();
  out->resize(size);
  return source.ReadFloat32(name, {size}, out->data());
}

absl::Status LoadLinear(const CheckpointTensors& source, const std::string& name, int out_dim, int in_dim, Linear* out) {
  if (absl::Status s = LoadMatrix(source, name + ".weight", out_dim, in_dim, &out->weight); !s.ok()) return s;
  return LoadVector(source, name + ".bias", out_dim, true, &out->bias);
}

}  // namespace

absl::StatusOr<TransformerWeights> LoadTransformerWeights(const std::string& folder, const TransformerConfig& c) {
  absl::StatusOr<std::unique_ptr<CheckpointTensors>> opened = CheckpointTensors::Open(folder);
  if (!opened.ok()) return opened.status();
  const CheckpointTensors& source = **opened;
  TransformerWeights w;
  if (absl::Status s = LoadMatrix(source, "model.embed_tokens.weight", c.vocab_size, c.hidden_size, &w.embed); !s.ok()) {
    return s;
  }
  if (!c.tie_word_embeddings) {
    // An untied config without lm_head uses the embeddings, as HF does.
    if (source.Find("lm_head.weight") != nullptr) {
      if (absl::Status s = LoadMatrix(source, "lm_head.weight", c.vocab_size, c.hidden_size, &w.lm_head); !s.ok()) {
        return s;
      }
    }
  }
  if (absl::Status s = LoadVector(source, "model.norm.weight", c.hidden_size, false, &w.final_norm); !s.ok()) return s;
  const int q_dim = c.num_heads * c.head_dim, kv_dim = c.num_kv_heads * c.head_dim;
  w.layers.resize(c.num_layers);
  for (int l = 0; l < c.num_layers; ++l) {
    const std::string p = absl::StrFormat("model.layers.%d.", l);
    TransformerLayer& layer = w.layers[l];
    for (absl::Status s : {
             LoadVector(source, p + "input_layernorm.weight", c.hidden_size, false, &layer.input_norm),
             LoadVector(source, p + "post_attention_layernorm.weight", c.hidden_size, false,
                        &layer.post_attention_norm),
             LoadLinear(source, p + "self_attn.q_proj", q_dim, c.hidden_size, &layer.q),
             LoadLinear(source, p + "self_attn.k_proj", kv_dim, c.hidden_size, &layer.k),
             LoadLinear(source, p + "self_attn.v_proj", kv_dim, c.hidden_size, &layer.v),
             LoadLinear(source, p + "self_attn.o_proj", c.hidden_size, q_dim, &layer.o),
             LoadLinear(source, p + "mlp.gate_proj", c.intermediate_size, c.hidden_size, &layer.gate),
             LoadLinear(source, p + "mlp.up_proj", c.intermediate_size, c.hidden_size, &layer.up),
             LoadLinear(source, p + "mlp.down_proj", c.hidden_size, c.intermediate_size, &layer.down),
         }) {
      if (!s.ok()) return s;
    }
  }
  return w;
}

}  // namespace tokgraft
