// Language models on the CPU: Llama-architecture Hugging Face checkpoints
// (llama, mistral, qwen2), behind the TokenLM interface that bytes/ consumes.
#ifndef TOKGRAFT_LM_H_
#define TOKGRAFT_LM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace tokgraft {

// What a model has seen so far: for a transformer, its KV cache.
class LmState {
 public:
  virtual ~LmState() = default;
  // Tokens appended so far.
  virtual size_t length() const = 0;
};

// A language model over token ids. States are independent: extending, forking
// and releasing one never affects another. Log-probabilities are natural logs.
class TokenLM {
 public:
  virtual ~TokenLM() = default;
  virtual size_t vocab_size() const = 0;
  // An empty prefix. Released by destroying it.
  virtual std::unique_ptr<LmState> NewState() const = 0;
  // Appends `tokens` to the state (cheap: what the state already holds is
  // not evaluated again). If `logprobs` is given, it receives, row-major,
  // tokens.size() x vocab_size() values: the distribution of the next token
  // after each appended token. Fails on ids outside the vocabulary. (Rotary
  // positions have no hard limit: a transformer state may grow past the
  // context it was trained on, with the quality that gives.)
  virtual absl::Status Append(LmState* state, absl::Span<const uint32_t> tokens,
                              std::vector<float>* logprobs) const = 0;
  // An independent copy of `state`.
  virtual std::unique_ptr<LmState> Fork(const LmState& state) const = 0;
};

struct TransformerConfig {
  std::string model_type;  // llama, mistral, qwen2
  int hidden_size = 0;
  int intermediate_size = 0;
  int num_layers = 0;
  int num_heads = 0;
  int num_kv_heads = 0;
  int head_dim = 0;
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000;
  bool tie_word_embeddings = false;
  int vocab_size = 0;
  int eos_token_id = -1;
  int sliding_window = 0;  // 0: none
  int max_positions = 0;   // max_position_embeddings, 0 if absent
};

// Reads config.json. Errors name the missing or malformed field.
absl::StatusOr<TransformerConfig> ReadTransformerConfig(const std::string& path);

struct LoadModelOptions {
  int threads = 0;  // 0: all cores
};

// A Llama-family checkpoint: config.json plus model.safetensors or a sharded
// model.safetensors.index.json, in F32, F16 or BF16 (widened to float32).
class TransformerLM : public TokenLM {
 public:
  static absl::StatusOr<std::unique_ptr<TransformerLM>> Load(const std::string& folder,
                                                           const LoadModelOptions& options = {});
  virtual const TransformerConfig& config() const = 0;
  // Scores several sequences at once, each from position 0 with no cache:
  // for sequence s, (*logprobs)[s] is len(s) x vocab_size(), row-major.
  virtual absl::Status ScoreBatch(const std::vector<std::vector<uint32_t>>& sequences,
                                  std::vector<std::vector<float>>* logprobs) const = 0;
  // As ScoreBatch, keeping only the log-probability of one target per
  // position: (*logprobs)[s][i] = log p(targets[s][i] | sequences[s][0..i]).
  // Much less memory than whole rows when the vocabulary is large.
  virtual absl::Status ScoreTargets(const std::vector<std::vector<uint32_t>>& sequences,
                                    const std::vector<std::vector<uint32_t>>& targets,
                                    std::vector<std::vector<float>>* logprobs) const = 0;
};

// A table model for tests and examples: the next-token distribution depends
// only on the previous token (or on nothing, at the start).
class BigramTableLM : public TokenLM {
 public:
  // `initial`: vocab log-probabilities at the start; `next`: vocab x vocab,
  // row p = distribution after token p. Rows must be log-probabilities.
  BigramTableLM(std::vector<float> initial, std::vector<float> next);
  size_t vocab_size() const override { return initial_.size(); }
  std::unique_ptr<LmState> NewState() const override;
  absl::Status Append(LmState* state, absl::Span<const uint32_t> tokens,
                      std::vector<float>* logprobs) const override;
  std::unique_ptr<LmState> Fork(const LmState& state) const override;

 private:
  std::vector<float> initial_;
  std::vector<float> next_;
};

// Documents of a corpus file: separated by a line holding only U+001E; the
// newline before a separator belongs to it; empty documents are skipped.
std::vector<std::string> SplitCorpusDocuments(const std::string& text);

// Natural-log probability of each token of `tokens` under the scoring
// protocol of `tokgraft eval`: the sequence [eos] + tokens is cut into
// consecutive windows of `context` inputs, each scored from position 0.
absl::StatusOr<std::vector<double>> ScoreTokens(const TransformerLM& model, const std::vector<uint32_t>& tokens,
                                                int context);

}  // namespace tokgraft

#endif  // TOKGRAFT_LM_H_
