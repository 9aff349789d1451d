#include "transformer_weights.h"

#include <filesystem>
#include <map>
#include <memory>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "simdjson.h"
#include "tokgraft/safetensors.h"

namespace tokgraft {
namespace {

// All tensors of a checkpoint, by name, with the file each comes from.
class TensorSource {
 public:
  absl::Status Open(const std::string& folder) {
    namespace fs = std::filesystem;
    const fs::path index = fs::path(folder) / "model.safetensors.index.json";
    const fs::path single = fs::path(folder) / "model.safetensors";
    if (fs::exists(index)) return OpenSharded(index.string(), folder);
    if (!fs::exists(single)) {
      return absl::NotFoundError(
          absl::StrFormat("%s: neither model.safetensors nor model.safetensors.index.json", folder));
    }
    return AddFile(single.string());
  }

  absl::StatusOr<const TensorView*> Get(const std::string& name, std::vector<int64_t> shape, bool optional) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end()) {
      if (optional) return nullptr;
      return absl::InvalidArgumentError(absl::StrFormat("%s: missing tensor %s", where_, name));
    }
    const TensorView& view = it->second.second;
    if (view.shape != shape) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: tensor %s has shape [%s], the config needs [%s]",
                                                        it->second.first, name, absl::StrJoin(view.shape, ","),
                                                        absl::StrJoin(shape, ",")));
    }
    return &view;
  }

  std::string FileOf(const std::string& name) const { return tensors_.at(name).first; }

 private:
  absl::Status AddFile(const std::string& path) {
    absl::StatusOr<std::unique_ptr<SafetensorsFile>> file = SafetensorsFile::Open(path);
    if (!file.ok()) return file.status();
    for (const auto& [name, view] : (*file)->tensors()) tensors_[name] = {path, view};
    files_.push_back(*std::move(file));
    where_ = files_.size() == 1 ? path : std::filesystem::path(path).parent_path().string();
    return absl::OkStatus();
  }

  absl::Status OpenSharded(const std::string& index, const std::string& folder) {
    simdjson::padded_string text;
    simdjson::dom::parser parser;
    simdjson::dom::object map;
    if (simdjson::padded_string::load(index).get(text) != simdjson::SUCCESS ||
        parser.parse(text)["weight_map"].get_object().get(map) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: no weight_map object", index));
    }
    std::map<std::string, std::string> wanted;  // tensor -> shard
    for (auto [name, shard] : map) {
      std::string_view file;
      if (shard.get_string().get(file) != simdjson::SUCCESS || file.find('/') != std::string_view::npos) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s: weight_map.%s is not a file name", index, std::string(name)));
      }
      wanted[std::string(name)] = std::string(file);
    }
    std::map<std::string, bool> shards;
    for (const auto& [name, shard] : wanted) shards[shard] = true;
    for (const auto& [shard, unused] : shards) {
      if (absl::Status s = AddFile((std::filesystem::path(folder) / shard).string()); !s.ok()) return s;
    }
    where_ = folder;
    for (const auto& [name, shard] : wanted) {
      if (!tensors_.count(name)) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s: tensor %s is listed in the index but absent from %s", folder, name, shard));
      }
    }
    return absl::OkStatus();
  }

  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::map<std::string, std::pair<std::string, TensorView>> tensors_;
  std::string where_;
};

absl::Status Fill(const TensorSource& source, const std::string& name, const TensorView& view, float* out) {
  absl::Status s = ToFloat32(view, out);
  if (!s.ok()) return absl::InvalidArgumentError(absl::StrFormat("%s: tensor %s: %s", source.FileOf(name), name, s.message()));
  return absl::OkStatus();
}

absl::Status LoadMatrix(const TensorSource& source, const std::string& name, int rows, int cols, Matrix* out) {
  absl::StatusOr<const TensorView*> view = source.Get(name, {rows, cols}, false);
  if (!view.ok()) return view.status();
  out->resize(rows, cols);
  return Fill(source, name, **view, out->data());
}

absl::Status LoadVector(const TensorSource& source, const std::string& name, int size, bool optional, Vector* out) {
  absl::StatusOr<const TensorView*> view = source.Get(name, {size}, optional);
  if (!view.ok()) return view.status();
  if (*view == nullptr) return absl::OkStatus();
  out->resize(size);
  return Fill(source, name, **view, out->data());
}

absl::Status LoadLinear(const TensorSource& source, const std::string& name, int out_dim, int in_dim, Linear* out) {
  if (absl::Status s = LoadMatrix(source, name + ".weight", out_dim, in_dim, &out->weight); !s.ok()) return s;
  return LoadVector(source, name + ".bias", out_dim, true, &out->bias);
}

}  // namespace

absl::StatusOr<TransformerWeights> LoadTransformerWeights(const std::string& folder, const TransformerConfig& c) {
  TensorSource source;
  if (absl::Status s = source.Open(folder); !s.ok()) return s;
  TransformerWeights w;
  if (absl::Status s = LoadMatrix(source, "model.embed_tokens.weight", c.vocab_size, c.hidden_size, &w.embed); !s.ok()) {
    return s;
  }
  if (!c.tie_word_embeddings) {
    absl::StatusOr<const TensorView*> head = source.Get("lm_head.weight", {c.vocab_size, c.hidden_size}, true);
    if (!head.ok()) return head.status();
    // An untied config without lm_head uses the embeddings, as HF does.
    if (*head != nullptr) {
      w.lm_head.resize(c.vocab_size, c.hidden_size);
      if (absl::Status s = Fill(source, "lm_head.weight", **head, w.lm_head.data()); !s.ok()) return s;
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
