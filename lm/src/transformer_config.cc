// config.json of Llama-family checkpoints.
#include "absl/strings/str_format.h"
#include "simdjson.h"
#include "tokgraft/lm.h"

namespace tokgraft {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

absl::Status Missing(const std::string& path, std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrFormat("%s: %s %s", path, field, what));
}

// A positive integer field; `fallback` < 0 means required.
absl::StatusOr<int> IntField(object o, const std::string& path, std::string_view field, int fallback) {
  element e;
  if (o[field].get(e) != simdjson::SUCCESS || e.is_null()) {
    if (fallback < 0) return Missing(path, field, "is missing");
    return fallback;
  }
  int64_t v;
  if (e.get_int64().get(v) != simdjson::SUCCESS || v <= 0 || v > (1 << 30)) {
    return Missing(path, field, "is not a positive integer");
  }
  return static_cast<int>(v);
}

// `label` names the field in errors (e.g. rope_parameters.rope_theta).
absl::StatusOr<double> NumberField(object o, const std::string& path, std::string_view field, double fallback,
                                   std::string_view label = {}) {
  if (label.empty()) label = field;
  element e;
  if (o[field].get(e) != simdjson::SUCCESS || e.is_null()) return fallback;
  double v;
  if (e.get_double().get(v) != simdjson::SUCCESS) {
    int64_t i;
    if (e.get_int64().get(i) != simdjson::SUCCESS) return Missing(path, label, "is not a number");
    v = static_cast<double>(i);
  }
  return v;
}

}  // namespace

absl::StatusOr<TransformerConfig> ReadTransformerConfig(const std::string& path) {
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path).get(text) != simdjson::SUCCESS) {
    return absl::NotFoundError(absl::StrFormat("cannot read %s", path));
  }
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(text).get(root); error != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not JSON: %s", path, simdjson::error_message(error)));
  }
  object o;
  if (root.get_object().get(o) != simdjson::SUCCESS) return Missing(path, "the top level", "is not an object");
  TransformerConfig c;
  std::string_view type;
  if (o["model_type"].get_string().get(type) != simdjson::SUCCESS) return Missing(path, "model_type", "is missing");
  c.model_type = std::string(type);
  if (c.model_type != "llama" && c.model_type != "mistral" && c.model_type != "qwen2") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: model_type \"%s\" is not supported (llama, mistral, qwen2)", path, c.model_type));
  }
  std::string_view act = "silu";
  if (element e; o["hidden_act"].get(e) == simdjson::SUCCESS && e.get_string().get(act) != simdjson::SUCCESS) {
    return Missing(path, "hidden_act", "is not a string");
  }
  if (act != "silu") {
    return absl::InvalidArgumentError(absl::StrFormat("%s: hidden_act \"%s\" is not supported (silu)", path, act));
  }
  auto assign = [&](int* out, std::string_view field, int fallback) -> absl::Status {
    absl::StatusOr<int> v = IntField(o, path, field, fallback);
    if (!v.ok()) return v.status();
    *out = *v;
    return absl::OkStatus();
  };
  for (auto [out, field] : {std::pair{&c.hidden_size, "hidden_size"}, {&c.intermediate_size, "intermediate_size"},
                            {&c.num_layers, "num_hidden_layers"}, {&c.num_heads, "num_attention_heads"},
                            {&c.vocab_size, "vocab_size"}}) {
    if (absl::Status s = assign(out, field, -1); !s.ok()) return s;
  }
  if (absl::Status s = assign(&c.num_kv_heads, "num_key_value_heads", c.num_heads); !s.ok()) return s;
  if (absl::Status s = assign(&c.head_dim, "head_dim", c.hidden_size / c.num_heads); !s.ok()) return s;
  if (absl::Status s = assign(&c.max_positions, "max_position_embeddings", 0); !s.ok()) return s;
  if (c.num_heads % c.num_kv_heads != 0) {
    return Missing(path, "num_attention_heads", "is not a multiple of num_key_value_heads");
  }
  if (c.head_dim % 2 != 0) return Missing(path, "head_dim", "is odd (rotary embeddings need pairs)");
  absl::StatusOr<double> eps = NumberField(o, path, "rms_norm_eps", 1e-6);
  if (!eps.ok()) return eps.status();
  c.rms_norm_eps = *eps;
  // rope_theta at the top level, or under rope_parameters (newer configs).
  object rope;
  const bool has_rope = (o["rope_parameters"].get_object().get(rope) == simdjson::SUCCESS) ||
                        (o["rope_scaling"].get_object().get(rope) == simdjson::SUCCESS);
  double theta = 10000;
  if (has_rope) {
    std::string_view rope_type = "default";
    if (rope["rope_type"].get_string().get(rope_type) != simdjson::SUCCESS &&
        rope["type"].get_string().get(rope_type) != simdjson::SUCCESS) {
      rope_type = "default";
    }
    if (rope_type != "default") {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: rope type \"%s\" is not supported (default)", path, rope_type));
    }
    absl::StatusOr<double> t = NumberField(rope, path, "rope_theta", theta, "rope_parameters.rope_theta");
    if (!t.ok()) return t.status();
    theta = *t;
  }
  absl::StatusOr<double> top_theta = NumberField(o, path, "rope_theta", theta);
  if (!top_theta.ok()) return top_theta.status();
  c.rope_theta = *top_theta;
  bool tie = false;
  if (element e; o["tie_word_embeddings"].get(e) == simdjson::SUCCESS && !e.is_null() &&
                 e.get_bool().get(tie) != simdjson::SUCCESS) {
    return Missing(path, "tie_word_embeddings", "is not true or false");
  }
  c.tie_word_embeddings = tie;
  if (element e; o["eos_token_id"].get(e) == simdjson::SUCCESS && !e.is_null()) {
    int64_t eos;
    simdjson::dom::array list;
    if (e.get_array().get(list) == simdjson::SUCCESS && list.size() > 0) e = list.at(0);
    if (e.get_int64().get(eos) != simdjson::SUCCESS || eos < 0) {
      return Missing(path, "eos_token_id", "is not a token id");
    }
    c.eos_token_id = static_cast<int>(eos);
  }
  bool use_window = c.model_type != "qwen2";
  if (c.model_type == "qwen2" && o["use_sliding_window"].get_bool().get(use_window) != simdjson::SUCCESS) {
    use_window = false;
  }
  if (use_window) {
    absl::StatusOr<int> window = IntField(o, path, "sliding_window", 0);
    if (!window.ok()) return window.status();
    c.sliding_window = *window;
  }
  return c;
}

}  // namespace tokgraft
