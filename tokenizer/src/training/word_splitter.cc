#include "training/word_splitter.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "loaders/hf_json_components.h"
#include "pre_tokenizers/published_patterns.h"
#include "status_macros.h"
#include "tokgraft/json_string.h"

namespace tokgraft {
namespace {

constexpr char kByteLevelNoSplit[] =
    R"({"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":false})";

std::string RegexThenByteLevel(std::string_view pattern) {
  std::string json = R"({"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":)";
  AppendJsonString(pattern, &json);
  absl::StrAppend(&json, R"(},"behavior":"Isolated","invert":false},)", kByteLevelNoSplit, "]}");
  return json;
}

// The pre_tokenizer JSON for a name, or for a regex when it is none of them.
WordSplitterInfo InfoFor(std::string_view name) {
  WordSplitterInfo info{std::string(name), "", true};
  if (name == "digits-bytelevel") {
    info.pre_tokenizer_json =
        R"({"type":"Sequence","pretokenizers":[{"type":"Digits","individual_digits":false},)"
        R"({"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true}]})";
  } else if (name == "bytelevel" || name == "gpt2") {
    info.pre_tokenizer_json =
        R"({"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true})";
  } else if (name == "cl100k" || name == "llama3") {
    info.pre_tokenizer_json = RegexThenByteLevel(patterns::kCl100k);
  } else if (name == "o200k") {
    info.pre_tokenizer_json = RegexThenByteLevel(patterns::kO200k);
  } else if (name == "qwen2") {
    info.pre_tokenizer_json = RegexThenByteLevel(patterns::kQwen2);
  } else if (name == "digits") {  // supertokens after digits-bytelevel
    info.pre_tokenizer_json = absl::StrCat(
        R"({"type":"Sequence","pretokenizers":[{"type":"Digits","individual_digits":false},)", kByteLevelNoSplit,
        "]}");
  } else if (name == "digits1-3") {  // supertokens after cl100k, llama3, o200k
    info.pre_tokenizer_json = RegexThenByteLevel(R"(\p{N}{1,3})");
  } else if (name == "digits1") {  // supertokens after qwen2
    info.pre_tokenizer_json = RegexThenByteLevel(R"(\p{N})");
  } else if (name == "space-digits") {  // supertokens after gpt2
    info.pre_tokenizer_json = RegexThenByteLevel(R"( ?\p{N}+)");
  } else if (name == "none") {
    info.pre_tokenizer_json = kByteLevelNoSplit;
  } else if (name == "metaspace") {
    info.pre_tokenizer_json =
        "{\"type\":\"Metaspace\",\"replacement\":\"\xE2\x96\x81\",\"prepend_scheme\":\"always\",\"split\":true}";
    info.byte_level = false;
  } else {
    info.pre_tokenizer_json = RegexThenByteLevel(name);
  }
  return info;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PreTokenizer>> BuildPreTokenizer(const WordSplitterInfo& info) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(simdjson::padded_string(info.pre_tokenizer_json)).get(root) != simdjson::SUCCESS) {
    return absl::InternalError("pre-tokenizer JSON does not parse: " + info.pre_tokenizer_json);
  }
  auto pre_tokenizer = PreTokenizerFromJson(root, "pre_tokenizer");
  if (!pre_tokenizer.ok()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "pre-tokenizer '%s' is neither a known name (digits-bytelevel, bytelevel, gpt2, cl100k, llama3, "
        "o200k, qwen2, metaspace, none, digits, digits1-3, digits1, space-digits) nor a usable regex: %s",
        info.name, pre_tokenizer.status().message()));
  }
  return pre_tokenizer;
}

absl::StatusOr<std::shared_ptr<const WordSplitter>> MakeWordSplitter(std::string_view name_or_regex) {
  if (name_or_regex.empty()) return absl::InvalidArgumentError("empty pre-tokenizer name");
  WordSplitterInfo info = InfoFor(name_or_regex);
  TOKGRAFT_ASSIGN_OR_RETURN(std::unique_ptr<PreTokenizer> pre_tokenizer, BuildPreTokenizer(info));
  return std::make_shared<const WordSplitter>(std::move(info), std::move(pre_tokenizer));
}

const WordSplitterInfo& SplitterInfo(const WordSplitter& splitter) { return splitter.info(); }

}  // namespace tokgraft
