// A Hugging Face model folder as the transplant sees it: its config, its
// tokenizer, the roles of its special tokens, and its embedding and output
// matrices widened to float32.
#ifndef TOKGRAFT_TRANSPLANT_MODEL_FOLDER_H_
#define TOKGRAFT_TRANSPLANT_MODEL_FOLDER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/checkpoint.h"
#include "tokgraft/omp.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::transplant {

inline constexpr char kEmbedTensor[] = "model.embed_tokens.weight";
inline constexpr char kLmHeadTensor[] = "lm_head.weight";

struct ModelFolder {
  std::string path;
  std::string config_json;  // config.json as written
  int hidden_size = 0;
  size_t rows = 0;          // rows of the embedding matrix (config vocab_size)
  bool tied = false;        // lm_head is the embedding matrix
  bool has_lm_head_tensor = false;
  DType dtype = DType::kF32;  // of the embedding matrix
  std::unique_ptr<Tokenizer> tokenizer;
  std::string tokenizer_json;  // tokenizer.json as written ("" if the folder has none)
  std::unique_ptr<CheckpointTensors> tensors;
  std::vector<float> embed;    // rows x hidden_size
  std::vector<float> lm_head;  // rows x hidden_size; empty when tied
  // Token ids by role: "bos", "eos", "pad", "unk" (from config.json,
  // tokenizer_config.json and the tokenizer's own added tokens).
  std::map<std::string, uint32_t> roles;

  FloatRows embed_rows() const { return {embed.data(), rows, static_cast<size_t>(hidden_size)}; }
  FloatRows output_rows() const {
    return {tied ? embed.data() : lm_head.data(), rows, static_cast<size_t>(hidden_size)};
  }
};

// The whole file as bytes; NotFound naming it if it cannot be read.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

// `what` ("base", "donor") prefixes errors. Fails with InvalidArgument on
// a missing or malformed config, tokenizer or tensor, and on a matrix with
// fewer rows than the tokenizer's model vocabulary.
absl::StatusOr<ModelFolder> LoadModelFolder(const std::string& path, const std::string& what);

}  // namespace tokgraft::transplant

#endif  // TOKGRAFT_TRANSPLANT_MODEL_FOLDER_H_
