// A trained vocabulary as tokenizer.json, and merge lists read back from one.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "loaders/hf_json_components.h"
#include "status_macros.h"
#include "tokgraft/json_string.h"
#include "tokgraft/trainer.h"

namespace tokgraft {

std::string TrainedBpe::ToTokenizerJson() const {
  std::string json = "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n";
  json += "  \"added_tokens\": [";
  for (size_t i = 0; i < special_tokens.size(); ++i) {
    absl::StrAppend(&json, i ? ",\n" : "\n", "    {\"id\": ", i, ", \"content\": ");
    AppendJsonString(special_tokens[i], &json);
    json += ", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, "
            "\"special\": true}";
  }
  json += special_tokens.empty() ? "],\n" : "\n  ],\n";
  absl::StrAppend(&json, "  \"normalizer\": null,\n  \"pre_tokenizer\": ", splitter.pre_tokenizer_json,
                  ",\n  \"post_processor\": null,\n");
  if (splitter.byte_level) {
    json += "  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, "
            "\"use_regex\": true},\n";
  } else {
    // Llama 2's decoder: the Metaspace decoder would drop every U+2581 of a
    // fused token, so spaces are restored first and the prepended one stripped.
    json += "  \"decoder\": {\"type\": \"Sequence\", \"decoders\": ["
            "{\"type\": \"Replace\", \"pattern\": {\"String\": \"\xE2\x96\x81\"}, \"content\": \" \"}, "
            "{\"type\": \"ByteFallback\"}, {\"type\": \"Fuse\"}, "
            "{\"type\": \"Strip\", \"content\": \" \", \"start\": 1, \"stop\": 0}]},\n";
  }
  absl::StrAppend(&json,
                  "  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": null,\n"
                  "    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n"
                  "    \"fuse_unk\": false,\n    \"byte_fallback\": ",
                  splitter.byte_level ? "false" : "true", ",\n    \"ignore_merges\": false,\n    \"vocab\": {");
  for (size_t id = 0; id < vocab.size(); ++id) {
    json += id ? ",\n      " : "\n      ";
    AppendJsonString(vocab[id], &json);
    absl::StrAppend(&json, ": ", id);
  }
  json += "\n    },\n    \"merges\": [";
  for (size_t i = 0; i < merges.size(); ++i) {
    json += i ? ",\n      [" : "\n      [";
    AppendJsonString(merges[i].first, &json);
    json += ", ";
    AppendJsonString(merges[i].second, &json);
    json += "]";
  }
  json += "\n    ]\n  }\n}\n";
  return json;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReadMergesFromTokenizerJson(
    const std::string& path) {
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path).get(text) != simdjson::SUCCESS) {
    return absl::NotFoundError(absl::StrFormat("cannot read %s", path));
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(text).get(root); error != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not JSON: %s", path, simdjson::error_message(error)));
  }
  auto merges = [&]() -> absl::StatusOr<std::vector<std::pair<std::string, std::string>>> {
    TOKGRAFT_ASSIGN_OR_RETURN(json::object top, json::AsObject(root, ""));
    std::optional<json::element> model_json = json::Member(top, "model");
    if (!model_json) return absl::InvalidArgumentError("model: missing");
    TOKGRAFT_ASSIGN_OR_RETURN(json::object model, json::AsObject(*model_json, "model"));
    TOKGRAFT_ASSIGN_OR_RETURN(std::string_view type, json::RequiredString(model, "type", "model"));
    if (type != "BPE") return absl::InvalidArgumentError(absl::StrFormat("model.type: \"%s\" is not BPE", type));
    std::optional<json::element> list_json = json::Member(model, "merges");
    if (!list_json) return absl::InvalidArgumentError("model.merges: missing");
    TOKGRAFT_ASSIGN_OR_RETURN(json::array list, json::AsArray(*list_json, "model.merges"));
    std::vector<std::pair<std::string, std::string>> out;
    size_t i = 0;
    for (json::element item : list) {
      std::string_view left, right;
      TOKGRAFT_RETURN_IF_ERROR(MergePairFromJson(item, i++, &left, &right));
      out.emplace_back(left, right);
    }
    return out;
  }();
  if (!merges.ok()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: %s", path, merges.status().message()));
  }
  return merges;
}

}  // namespace tokgraft
