// tokenizer.json -> PipelineTokenizer.
#include "absl/strings/str_format.h"
#include "byte_level_alphabet.h"
#include "loaders/hf_json_components.h"
#include "loaders/loaders.h"
#include "pipeline_tokenizer.h"
#include "status_macros.h"

namespace tokgraft {
namespace {

using json::Join;

absl::StatusOr<std::vector<AddedToken>> AddedTokensFromJson(json::object root) {
  std::vector<AddedToken> tokens;
  std::optional<json::element> e = json::Member(root, "added_tokens");
  if (!e) return tokens;
  TOKGRAFT_ASSIGN_OR_RETURN(json::array list, json::AsArray(*e, "added_tokens"));
  size_t i = 0;
  for (json::element item : list) {
    const std::string path = json::Index("added_tokens", i++);
    TOKGRAFT_ASSIGN_OR_RETURN(json::object o, json::AsObject(item, path));
    AddedToken t;
    TOKGRAFT_ASSIGN_OR_RETURN(int64_t id, json::RequiredInt(o, "id", path));
    if (id < 0 || id > INT32_MAX) {
      return absl::InvalidArgumentError(absl::StrFormat("%s.id: %d is not a valid id", path, id));
    }
    t.id = static_cast<uint32_t>(id);
    TOKGRAFT_ASSIGN_OR_RETURN(std::string_view content, json::RequiredString(o, "content", path));
    if (content.empty()) return absl::InvalidArgumentError(absl::StrFormat("%s.content: empty", path));
    t.content = std::string(content);
    TOKGRAFT_ASSIGN_OR_RETURN(t.special, json::OptionalBool(o, "special", path, false));
    // The reference's default: special tokens are not normalized, others are.
    TOKGRAFT_ASSIGN_OR_RETURN(t.normalized, json::OptionalBool(o, "normalized", path, !t.special));
    TOKGRAFT_ASSIGN_OR_RETURN(t.lstrip, json::OptionalBool(o, "lstrip", path, false));
    TOKGRAFT_ASSIGN_OR_RETURN(t.rstrip, json::OptionalBool(o, "rstrip", path, false));
    TOKGRAFT_ASSIGN_OR_RETURN(t.single_word, json::OptionalBool(o, "single_word", path, false));
    tokens.push_back(std::move(t));
  }
  return tokens;
}

// Reads model.merges, either "left right" strings or ["left", "right"] pairs,
// into the model's key space (raw bytes for byte-level models). A merge of a
// token outside the byte alphabet can never apply and becomes an empty pair.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> MergesFromJson(
    json::object model, bool byte_level, const absl::flat_hash_map<std::string, uint32_t>& unreachable) {
  std::vector<std::pair<std::string, std::string>> merges;
  std::optional<json::element> e = json::Member(model, "merges");
  if (!e) return merges;
  TOKGRAFT_ASSIGN_OR_RETURN(json::array list, json::AsArray(*e, "model.merges"));
  merges.reserve(list.size());
  size_t i = 0;
  for (json::element item : list) {
    std::string_view left, right;
    TOKGRAFT_RETURN_IF_ERROR(MergePairFromJson(item, i, &left, &right));
    merges.emplace_back();
    if (!byte_level) {
      merges.back() = {std::string(left), std::string(right)};
    } else if (!byte_level::MappedToBytes(left, &merges.back().first) ||
               !byte_level::MappedToBytes(right, &merges.back().second)) {
      const absl::string_view l(left.data(), left.size()), r(right.data(), right.size());
      if (!unreachable.contains(l) && !unreachable.contains(r)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "model.merges[%d]: \"%s\" \"%s\" names a token that is not in the vocabulary", i,
            std::string(left), std::string(right)));
      }
      merges.back() = {};
    }
    ++i;
  }
  return merges;
}

absl::StatusOr<std::unique_ptr<BpeModel>> ModelFromJson(json::object model, bool byte_level, PipelineParts* parts) {
  TOKGRAFT_ASSIGN_OR_RETURN(std::optional<std::string_view> type, json::OptionalString(model, "type", "model"));
  if (type && *type != "BPE") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "model.type: \"%s\" is not supported (tokenizer.json support covers BPE; sentencepiece "
        "Unigram models load from their .model file)", std::string(*type)));
  }
  BpeOptions options;
  options.byte_level = byte_level;
  TOKGRAFT_ASSIGN_OR_RETURN(options.byte_fallback, json::OptionalBool(model, "byte_fallback", "model", false));
  TOKGRAFT_ASSIGN_OR_RETURN(options.fuse_unk, json::OptionalBool(model, "fuse_unk", "model", false));
  TOKGRAFT_ASSIGN_OR_RETURN(options.ignore_merges, json::OptionalBool(model, "ignore_merges", "model", false));
  TOKGRAFT_ASSIGN_OR_RETURN(std::optional<std::string_view> unk, json::OptionalString(model, "unk_token", "model"));
  if (unk) options.unk_token = std::string(*unk);
  TOKGRAFT_ASSIGN_OR_RETURN(std::optional<std::string_view> prefix,
                            json::OptionalString(model, "continuing_subword_prefix", "model"));
  options.continuing_subword_prefix = std::string(prefix.value_or(""));
  TOKGRAFT_ASSIGN_OR_RETURN(std::optional<std::string_view> suffix,
                            json::OptionalString(model, "end_of_word_suffix", "model"));
  options.end_of_word_suffix = std::string(suffix.value_or(""));
  TOKGRAFT_ASSIGN_OR_RETURN(double dropout, json::OptionalNumber(model, "dropout", "model", 0.0));
  if (dropout < 0 || dropout > 1) {
    return absl::InvalidArgumentError(absl::StrFormat("model.dropout: %g is not in [0, 1]", dropout));
  }
  options.dropout = static_cast<float>(dropout);

  std::optional<json::element> vocab_json = json::Member(model, "vocab");
  if (!vocab_json) return absl::InvalidArgumentError("model: missing \"vocab\"");
  TOKGRAFT_ASSIGN_OR_RETURN(json::object vocab, json::AsObject(*vocab_json, "model.vocab"));
  std::vector<std::string>& tokens = parts->model_tokens;
  tokens.resize(vocab.size());
  absl::flat_hash_map<std::string, uint32_t> model_vocab;
  model_vocab.reserve(vocab.size());
  std::string bytes;
  for (auto [key, value] : vocab) {
    uint64_t id;
    if (value.get_uint64().get(id) != simdjson::SUCCESS || id > INT32_MAX) {
      return json::TypeError(Join("model.vocab", key), "a token id", value);
    }
    if (id >= tokens.size()) tokens.resize(id + 1);
    if (!tokens[id].empty()) {
      return absl::InvalidArgumentError(absl::StrFormat("model.vocab: id %d is given to both \"%s\" and \"%s\"",
                                                        id, tokens[id], std::string(key)));
    }
    tokens[id] = std::string(key);
    bool fresh;
    if (!byte_level) {
      fresh = model_vocab.emplace(tokens[id], static_cast<uint32_t>(id)).second;
    } else if (byte_level::MappedToBytes(key, &bytes)) {
      fresh = model_vocab.emplace(bytes, static_cast<uint32_t>(id)).second;
    } else {
      // Outside the byte alphabet: such a token can never be produced.
      fresh = parts->unreachable_tokens.emplace(tokens[id], static_cast<uint32_t>(id)).second;
    }
    if (!fresh) return absl::InvalidArgumentError(absl::StrFormat("model.vocab: token \"%s\" appears twice", std::string(key)));
  }

  TOKGRAFT_ASSIGN_OR_RETURN(auto merges, MergesFromJson(model, byte_level, parts->unreachable_tokens));
  auto created = BpeModel::Create(std::move(options), std::move(model_vocab), merges);
  if (!created.ok()) {
    return absl::InvalidArgumentError(absl::StrFormat("model: %s", created.status().message()));
  }
  return created;
}

absl::StatusOr<std::unique_ptr<Tokenizer>> ParsePadded(const simdjson::padded_string& padded,
                                                        const std::string& name) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto error = parser.parse(padded).get(doc); error != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is not valid JSON: %s", name, simdjson::error_message(error)));
  }
  auto result = [&]() -> absl::StatusOr<std::unique_ptr<Tokenizer>> {
    TOKGRAFT_ASSIGN_OR_RETURN(json::object root, json::AsObject(doc, "top level"));
    std::optional<json::element> model_json = json::Member(root, "model");
    if (!model_json) return absl::InvalidArgumentError("missing \"model\"");
    TOKGRAFT_ASSIGN_OR_RETURN(json::object model, json::AsObject(*model_json, "model"));

    PipelineParts parts;
    parts.format = "tokenizer.json";
    bool byte_level = false;
    if (auto e = json::Member(root, "normalizer")) {
      TOKGRAFT_ASSIGN_OR_RETURN(parts.normalizer, NormalizerFromJson(*e, "normalizer"));
    }
    if (auto e = json::Member(root, "pre_tokenizer")) {
      TOKGRAFT_ASSIGN_OR_RETURN(parts.pre_tokenizer, PreTokenizerFromJson(*e, "pre_tokenizer"));
      TOKGRAFT_ASSIGN_OR_RETURN(byte_level, PreTokenizerIsByteLevel(*e, "pre_tokenizer"));
    }
    if (auto e = json::Member(root, "post_processor")) {
      TOKGRAFT_ASSIGN_OR_RETURN(parts.post_processor, PostProcessorFromJson(*e, "post_processor"));
    }
    if (auto e = json::Member(root, "decoder")) {
      TOKGRAFT_ASSIGN_OR_RETURN(parts.decoder, DecoderFromJson(*e, "decoder"));
    }
    TOKGRAFT_ASSIGN_OR_RETURN(parts.added_tokens, AddedTokensFromJson(root));
    TOKGRAFT_ASSIGN_OR_RETURN(parts.model, ModelFromJson(model, byte_level, &parts));
    TOKGRAFT_ASSIGN_OR_RETURN(std::unique_ptr<PipelineTokenizer> tok, PipelineTokenizer::Create(std::move(parts)));
    return std::unique_ptr<Tokenizer>(std::move(tok));
  }();
  if (!result.ok()) {
    return absl::Status(result.status().code(), absl::StrFormat("%s: %s", name, result.status().message()));
  }
  return result;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Tokenizer>> LoadHfTokenizerJson(const std::string& path) {
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path).get(text) != simdjson::SUCCESS) {
    return absl::NotFoundError(absl::StrFormat("cannot read %s", path));
  }
  return ParsePadded(text, path);
}

absl::StatusOr<std::unique_ptr<Tokenizer>> ParseHfTokenizerJson(std::string_view json, const std::string& name) {
  return ParsePadded(simdjson::padded_string(json), name);
}

}  // namespace tokgraft
