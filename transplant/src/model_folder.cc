#include "model_folder.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_format.h"
#include "simdjson.h"

namespace tokgraft::transplant {
namespace {

namespace fs = std::filesystem;

// A token id field: a number, the first of a list, or absent/null.
std::optional<uint32_t> IdField(simdjson::dom::element config, const char* key) {
  simdjson::dom::element value;
  if (config[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  if (value.is_array()) {
    simdjson::dom::array list = value.get_array();
    if (list.size() == 0) return std::nullopt;
    value = list.at(0);
  }
  int64_t id;
  if (value.get_int64().get(id) != simdjson::SUCCESS || id < 0) return std::nullopt;
  return static_cast<uint32_t>(id);
}

// tokenizer_config.json gives roles as strings or as {"content": ...}.
std::optional<std::string> TokenField(simdjson::dom::element config, const char* key) {
  simdjson::dom::element value;
  if (config[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  if (value["content"].get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  return std::nullopt;
}

absl::Status ReadRoles(const fs::path& folder, simdjson::dom::element config, ModelFolder* model) {
  for (const char* role : {"bos", "eos", "pad"}) {
    if (auto id = IdField(config, (std::string(role) + "_token_id").c_str())) model->roles[role] = *id;
  }
  const fs::path tokenizer_config = folder / "tokenizer_config.json";
  if (fs::exists(tokenizer_config)) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    simdjson::padded_string text;
    if (simdjson::padded_string::load(tokenizer_config.string()).get(text) != simdjson::SUCCESS ||
        parser.parse(text).get(doc) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: not valid JSON", tokenizer_config.string()));
    }
    for (const char* role : {"bos", "eos", "pad", "unk"}) {
      if (model->roles.count(role)) continue;
      if (auto content = TokenField(doc, (std::string(role) + "_token").c_str())) {
        if (auto id = model->tokenizer->TokenToId(*content)) model->roles[role] = *id;
      }
    }
  }
  if (!model->roles.count("unk")) {
    if (auto id = model->tokenizer->TokenToId("<unk>")) model->roles["unk"] = *id;
  }
  return absl::OkStatus();
}

// The largest model-vocabulary id + 1: added tokens may lie past the matrix
// (they are handled), ordinary tokens may not.
size_t ModelVocabularyEnd(const Tokenizer& tokenizer) {
  const TokenizerInfo info = tokenizer.Info();
  std::vector<bool> added(info.vocab_size, false);
  for (const SpecialTokenInfo& t : info.added_tokens) {
    if (t.id < added.size()) added[t.id] = true;
  }
  size_t end = 0;
  for (size_t id = 0; id < info.vocab_size; ++id) {
    if (!added[id] && tokenizer.IdToToken(static_cast<uint32_t>(id))) end = id + 1;
  }
  return end;
}

}  // namespace

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrFormat("%s: cannot read", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<ModelFolder> LoadModelFolder(const std::string& path, const std::string& what) {
  const fs::path folder(path);
  if (!fs::is_directory(folder)) return absl::NotFoundError(absl::StrFormat("%s %s: not a folder", what, path));
  ModelFolder model;
  model.path = path;
  absl::StatusOr<std::string> config_text = ReadTextFile((folder / "config.json").string());
  if (!config_text.ok()) return config_text.status();
  model.config_json = *config_text;
  simdjson::dom::parser parser;
  simdjson::dom::element config;
  if (parser.parse(model.config_json).get(config) != simdjson::SUCCESS || !config.is_object()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s/config.json: not a JSON object", path));
  }
  int64_t hidden = 0, vocab = 0;
  if (config["hidden_size"].get_int64().get(hidden) != simdjson::SUCCESS || hidden <= 0) {
    return absl::InvalidArgumentError(absl::StrFormat("%s/config.json: hidden_size missing or not a positive integer", path));
  }
  if (config["vocab_size"].get_int64().get(vocab) != simdjson::SUCCESS || vocab <= 0) {
    return absl::InvalidArgumentError(absl::StrFormat("%s/config.json: vocab_size missing or not a positive integer", path));
  }
  model.hidden_size = static_cast<int>(hidden);
  model.rows = static_cast<size_t>(vocab);
  bool tied = false;
  if (config["tie_word_embeddings"].get_bool().get(tied) != simdjson::SUCCESS) tied = false;

  absl::StatusOr<std::unique_ptr<Tokenizer>> tokenizer = LoadTokenizer(path);
  if (!tokenizer.ok()) {
    return absl::Status(tokenizer.status().code(),
                        absl::StrFormat("%s tokenizer: %s", what, tokenizer.status().message()));
  }
  model.tokenizer = *std::move(tokenizer);
  if (fs::exists(folder / "tokenizer.json")) {
    absl::StatusOr<std::string> text = ReadTextFile((folder / "tokenizer.json").string());
    if (!text.ok()) return text.status();
    model.tokenizer_json = *std::move(text);
  }
  const size_t model_vocab = ModelVocabularyEnd(*model.tokenizer);
  if (model_vocab > model.rows) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s %s: the tokenizer has ordinary tokens up to id %zu but the embedding matrix has %zu rows "
        "(config vocab_size): tokenizer and weights do not belong together",
        what, path, model_vocab - 1, model.rows));
  }
  if (absl::Status s = ReadRoles(folder, config, &model); !s.ok()) return s;

  absl::StatusOr<std::unique_ptr<CheckpointTensors>> tensors = CheckpointTensors::Open(path);
  if (!tensors.ok()) return tensors.status();
  model.tensors = *std::move(tensors);
  const std::vector<int64_t> shape = {static_cast<int64_t>(model.rows), hidden};
  const TensorView* embed = model.tensors->Find(kEmbedTensor);
  if (embed == nullptr) {
    return absl::InvalidArgumentError(absl::StrFormat("%s %s: missing tensor %s", what, path, kEmbedTensor));
  }
  model.dtype = embed->dtype;
  model.embed.resize(model.rows * hidden);
  if (absl::Status s = model.tensors->ReadFloat32(kEmbedTensor, shape, model.embed.data()); !s.ok()) return s;
  model.has_lm_head_tensor = model.tensors->Find(kLmHeadTensor) != nullptr;
  // An untied config without lm_head uses the embeddings, as HF does.
  model.tied = tied || !model.has_lm_head_tensor;
  if (!model.tied) {
    model.lm_head.resize(model.rows * hidden);
    if (absl::Status s = model.tensors->ReadFloat32(kLmHeadTensor, shape, model.lm_head.data()); !s.ok()) return s;
  }
  return model;
}

}  // namespace tokgraft::transplant
