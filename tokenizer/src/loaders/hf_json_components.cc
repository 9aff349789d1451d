#include "loaders/hf_json_components.h"

#include "absl/strings/str_format.h"
#include "decoders/decoders.h"
#include "normalizers/normalizers.h"
#include "pre_tokenizers/pre_tokenizers.h"
#include "status_macros.h"

namespace tokgraft {
namespace {

using json::Join;

absl::Status Unsupported(std::string_view path, std::string_view kind, std::string_view type) {
  return absl::InvalidArgumentError(absl::StrFormat("%s: %s type \"%s\" is not supported",
                                                    std::string(path), std::string(kind), std::string(type)));
}

struct Pattern {
  std::string text;
  bool is_regex = false;
};

// {"String": "..."} or {"Regex": "..."}.
absl::StatusOr<Pattern> PatternFromJson(json::object o, std::string_view path) {
  const std::string where = Join(path, "pattern");
  std::optional<json::element> e = json::Member(o, "pattern");
  if (!e) return absl::InvalidArgumentError(absl::StrFormat("%s: missing \"pattern\"", std::string(path)));
  TOKGRAFT_ASSIGN_OR_RETURN(json::object p, json::AsObject(*e, where));
  if (auto s = json::Member(p, "String")) {
    TOKGRAFT_ASSIGN_OR_RETURN(std::string_view text, json::AsString(*s, Join(where, "String")));
    return Pattern{std::string(text), false};
  }
  if (auto r = json::Member(p, "Regex")) {
    TOKGRAFT_ASSIGN_OR_RETURN(std::string_view text, json::AsString(*r, Join(where, "Regex")));
    return Pattern{std::string(text), true};
  }
  return absl::InvalidArgumentError(absl::StrFormat("%s: expected \"String\" or \"Regex\"", where));
}

absl::StatusOr<PrependScheme> PrependSchemeFromJson(json::object o, std::string_view path) {
  TOKGRAFT_ASSIGN_OR_RETURN(std::optional<std::string_view> scheme,
                            json::OptionalString(o, "prepend_scheme", path));
  if (!scheme) {
    // Files older than prepend_scheme say add_prefix_space instead.
    TOKGRAFT_ASSIGN_OR_RETURN(bool add, json::OptionalBool(o, "add_prefix_space", path, true));
    return add ? PrependScheme::kAlways : PrependScheme::kNever;
  }
  if (*scheme == "always") return PrependScheme::kAlways;
  if (*scheme == "first") return PrependScheme::kFirst;
  if (*scheme == "never") return PrependScheme::kNever;
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s: unknown prepend_scheme \"%s\" (always, first, never)", Join(path, "prepend_scheme"),
      std::string(*scheme)));
}

absl::StatusOr<SplitBehavior> BehaviorFromJson(json::object o, std::string_view path) {
  TOKGRAFT_ASSIGN_OR_RETURN(std::string_view b, json::RequiredString(o, "behavior", path));
  if (b == "Removed") return SplitBehavior::kRemoved;
  if (b == "Isolated") return SplitBehavior::kIsolated;
  if (b == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (b == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (b == "Contiguous") return SplitBehavior::kContiguous;
  return absl::InvalidArgumentError(absl::StrFormat("%s: unknown behavior \"%s\"",
                                                    Join(path, "behavior"), std::string(b)));
}

template <typename Stage, typename FromJson>
absl::StatusOr<std::vector<std::unique_ptr<Stage>>> StepsFromJson(json::object o, std::string_view key,
                                                                  std::string_view path, FromJson from_json) {
  const std::string where = Join(path, key);
  std::optional<json::element> e = json::Member(o, key);
  if (!e) return absl::InvalidArgumentError(absl::StrFormat("%s: missing \"%s\"", std::string(path), std::string(key)));
  TOKGRAFT_ASSIGN_OR_RETURN(json::array steps, json::AsArray(*e, where));
  std::vector<std::unique_ptr<Stage>> out;
  size_t i = 0;
  for (json::element step : steps) {
    TOKGRAFT_ASSIGN_OR_RETURN(auto stage, from_json(step, json::Index(where, i++)));
    out.push_back(std::move(stage));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Normalizer>> NormalizerFromJson(json::element e, std::string_view path) {
  TOKGRAFT_ASSIGN_OR_RETURN(json::object o, json::AsObject(e, path));
  TOKGRAFT_ASSIGN_OR_RETURN(std::string_view type, json::RequiredString(o, "type", path));
  if (type == "NFC") return MakeUnicodeNormalizer(UnicodeForm::kNFC);
  if (type == "NFD") return MakeUnicodeNormalizer(UnicodeForm::kNFD);
  if (type == "NFKC") return MakeUnicodeNormalizer(UnicodeForm::kNFKC);
  if (type == "NFKD") return MakeUnicodeNormalizer(UnicodeForm::kNFKD);
  if (type == "Lowercase") return MakeLowercaseNormalizer();
  if (type == "Replace") {
    TOKGRAFT_ASSIGN_OR_RETURN(Pattern pattern, PatternFromJson(o, path));
    TOKGRAFT_ASSIGN_OR_RETURN(std::string_view content, json::RequiredString(o, "content", path));
    return MakeReplaceNormalizer(pattern.text, pattern.is_regex, std::string(content));
  }
  if (type == "Prepend") {
    TOKGRAFT_ASSIGN_OR_RETURN(std::string_view prepend, json::RequiredString(o, "prepend", path));
    return MakePrependNormalizer(std::string(prepend));
  }
  if (type == "Strip") {
    TOKGRAFT_ASSIGN_OR_RETURN(bool left, json::OptionalBool(o, "strip_left", path, true));
    TOKGRAFT_ASSIGN_OR_RETURN(bool right, json::OptionalBool(o, "strip_right", path, true));
    return MakeStripNormalizer(left, right);
  }
  if (type == "Sequence") {
    TOKGRAFT_ASSIGN_OR_RETURN(auto steps, StepsFromJson<Normalizer>(o, "normalizers", path, NormalizerFromJson));
    return MakeSequenceNormalizer(std::move(steps));
  }
  return Unsupported(path, "normalizer", type);
}

absl::StatusOr<std::unique_ptr<PreTokenizer>> PreTokenizerFromJson(json::element e, std::string_view path) {
  TOKGRAFT_ASSIGN_OR_RETURN(json::object o, json::AsObject(e, path));
  TOKGRAFT_ASSIGN_OR_RETURN(std::string_view type, json::RequiredString(o, "type", path));
  if (type == "Split") {
    TOKGRAFT_ASSIGN_OR_RETURN(Pattern pattern, PatternFromJson(o, path));
    TOKGRAFT_ASSIGN_OR_RETURN(SplitBehavior behavior, BehaviorFromJson(o, path));
    TOKGRAFT_ASSIGN_OR_RETURN(bool invert, json::OptionalBool(o, "invert", path, false));
    auto split = MakeSplitPreTokenizer(pattern.text, pattern.is_regex, behavior, invert);
    if (!split.ok()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: %s", Join(path, "pattern"), split.status().message()));
    }
    return split;
  }
  if (type == "ByteLevel") {
    TOKGRAFT_ASSIGN_OR_RETURN(bool add_prefix_space, json::OptionalBool(o, "add_prefix_space", path, true));
    TOKGRAFT_ASSIGN_OR_RETURN(bool use_regex, json::OptionalBool(o, "use_regex", path, true));
    return MakeByteLevelPreTokenizer(add_prefix_space, use_regex);
  }
  if (type == "Metaspace") {
    TOKGRAFT_ASSIGN_OR_RETURN(std::optional<std::string_view> replacement,
                              json::OptionalString(o, "replacement", path));
    TOKGRAFT_ASSIGN_OR_RETURN(PrependScheme scheme, PrependSchemeFromJson(o, path));
    TOKGRAFT_ASSIGN_OR_RETURN(bool split, json::OptionalBool(o, "split", path, true));
    return MakeMetaspacePreTokenizer(std::string(replacement.value_or("\xE2\x96\x81")), scheme, split);
  }
  if (type == "Digits") {
    TOKGRAFT_ASSIGN_OR_RETURN(bool individual, json::OptionalBool(o, "individual_digits", path, false));
    return MakeDigitsPreTokenizer(individual);
  }
  if (type == "Sequence") {
    TOKGRAFT_ASSIGN_OR_RETURN(auto steps,
                              StepsFromJson<PreTokenizer>(o, "pretokenizers", path, PreTokenizerFromJson));
    return MakeSequencePreTokenizer(std::move(steps));
  }
  return Unsupported(path, "pre_tokenizer", type);
}

absl::StatusOr<bool> PreTokenizerIsByteLevel(json::element e, std::string_view path) {
  TOKGRAFT_ASSIGN_OR_RETURN(json::object o, json::AsObject(e, path));
  TOKGRAFT_ASSIGN_OR_RETURN(std::string_view type, json::RequiredString(o, "type", path));
  if (type == "ByteLevel") return true;
  if (type != "Sequence") return false;
  std::optional<json::element> steps_json = json::Member(o, "pretokenizers");
  if (!steps_json) return false;  // reported when the stage itself is built
  TOKGRAFT_ASSIGN_OR_RETURN(json::array steps, json::AsArray(*steps_json, Join(path, "pretokenizers")));
  bool byte_level = false;
  size_t i = 0;
  for (json::element step : steps) {
    const std::string where = json::Index(Join(path, "pretokenizers"), i++);
    if (byte_level) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: a pre-tokenizer after ByteLevel is not supported (it would see byte-mapped text)", where));
    }
    TOKGRAFT_ASSIGN_OR_RETURN(byte_level, PreTokenizerIsByteLevel(step, where));
  }
  return byte_level;
}

absl::StatusOr<std::unique_ptr<Decoder>> DecoderFromJson(json::element e, std::string_view path) {
  TOKGRAFT_ASSIGN_OR_RETURN(json::object o, json::AsObject(e, path));
  TOKGRAFT_ASSIGN_OR_RETURN(std::string_view type, json::RequiredString(o, "type", path));
  if (type == "ByteLevel") return MakeByteLevelDecoder();
  if (type == "ByteFallback") return MakeByteFallbackDecoder();
  if (type == "Fuse") return MakeFuseDecoder();
  if (type == "Strip") {
    TOKGRAFT_ASSIGN_OR_RETURN(std::string_view content, json::RequiredString(o, "content", path));
    TOKGRAFT_ASSIGN_OR_RETURN(int64_t start, json::OptionalInt(o, "start", path, 0));
    TOKGRAFT_ASSIGN_OR_RETURN(int64_t stop, json::OptionalInt(o, "stop", path, 0));
    if (start < 0 || stop < 0) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: start and stop must not be negative", std::string(path)));
    }
    return MakeStripDecoder(std::string(content), static_cast<size_t>(start), static_cast<size_t>(stop));
  }
  if (type == "Replace") {
    TOKGRAFT_ASSIGN_OR_RETURN(Pattern pattern, PatternFromJson(o, path));
    TOKGRAFT_ASSIGN_OR_RETURN(std::string_view content, json::RequiredString(o, "content", path));
    return MakeReplaceDecoder(pattern.text, pattern.is_regex, std::string(content));
  }
  if (type == "Metaspace") {
    TOKGRAFT_ASSIGN_OR_RETURN(std::optional<std::string_view> replacement,
                              json::OptionalString(o, "replacement", path));
    TOKGRAFT_ASSIGN_OR_RETURN(PrependScheme scheme, PrependSchemeFromJson(o, path));
    TOKGRAFT_ASSIGN_OR_RETURN(bool split, json::OptionalBool(o, "split", path, true));
    return MakeMetaspaceDecoder(std::string(replacement.value_or("\xE2\x96\x81")), scheme, split);
  }
  if (type == "Sequence") {
    TOKGRAFT_ASSIGN_OR_RETURN(auto steps, StepsFromJson<Decoder>(o, "decoders", path, DecoderFromJson));
    return MakeSequenceDecoder(std::move(steps));
  }
  return Unsupported(path, "decoder", type);
}

absl::StatusOr<std::unique_ptr<PostProcessor>> PostProcessorFromJson(json::element e, std::string_view path) {
  TOKGRAFT_ASSIGN_OR_RETURN(json::object o, json::AsObject(e, path));
  TOKGRAFT_ASSIGN_OR_RETURN(std::string_view type, json::RequiredString(o, "type", path));
  if (type == "ByteLevel") {
    TOKGRAFT_ASSIGN_OR_RETURN(bool add_prefix_space, json::OptionalBool(o, "add_prefix_space", path, true));
    TOKGRAFT_ASSIGN_OR_RETURN(bool trim_offsets, json::OptionalBool(o, "trim_offsets", path, true));
    return MakeByteLevelPostProcessor(add_prefix_space, trim_offsets);
  }
  if (type == "Sequence") {
    TOKGRAFT_ASSIGN_OR_RETURN(auto steps,
                              StepsFromJson<PostProcessor>(o, "processors", path, PostProcessorFromJson));
    return MakeSequencePostProcessor(std::move(steps));
  }
  if (type != "TemplateProcessing") return Unsupported(path, "post_processor", type);

  // Template items name special tokens whose ids are listed in special_tokens.
  const std::string specials_path = Join(path, "special_tokens");
  std::optional<json::element> specials_json = json::Member(o, "special_tokens");
  json::object specials;
  if (specials_json) {
    TOKGRAFT_ASSIGN_OR_RETURN(specials, json::AsObject(*specials_json, specials_path));
  }
  const std::string single_path = Join(path, "single");
  std::optional<json::element> single_json = json::Member(o, "single");
  if (!single_json) return absl::InvalidArgumentError(absl::StrFormat("%s: missing \"single\"", std::string(path)));
  TOKGRAFT_ASSIGN_OR_RETURN(json::array single, json::AsArray(*single_json, single_path));
  std::vector<TemplateItem> items;
  size_t i = 0;
  for (json::element item_json : single) {
    const std::string where = json::Index(single_path, i++);
    TOKGRAFT_ASSIGN_OR_RETURN(json::object item, json::AsObject(item_json, where));
    if (json::Member(item, "Sequence")) {
      items.push_back({true, {}});
      continue;
    }
    std::optional<json::element> special_json = json::Member(item, "SpecialToken");
    if (!special_json) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: expected \"Sequence\" or \"SpecialToken\"", where));
    }
    TOKGRAFT_ASSIGN_OR_RETURN(json::object special, json::AsObject(*special_json, Join(where, "SpecialToken")));
    TOKGRAFT_ASSIGN_OR_RETURN(std::string_view name, json::RequiredString(special, "id", Join(where, "SpecialToken")));
    std::optional<json::element> entry_json = specials_json ? json::Member(specials, name) : std::nullopt;
    if (!entry_json) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: special token \"%s\" is not in %s", where,
                                                        std::string(name), specials_path));
    }
    const std::string entry_path = Join(specials_path, name);
    TOKGRAFT_ASSIGN_OR_RETURN(json::object entry, json::AsObject(*entry_json, entry_path));
    std::optional<json::element> ids_json = json::Member(entry, "ids");
    if (!ids_json) return absl::InvalidArgumentError(absl::StrFormat("%s: missing \"ids\"", entry_path));
    TOKGRAFT_ASSIGN_OR_RETURN(json::array ids, json::AsArray(*ids_json, Join(entry_path, "ids")));
    TemplateItem token;
    for (json::element id : ids) {
      uint64_t v;
      if (id.get_uint64().get(v) != simdjson::SUCCESS || v > UINT32_MAX) {
        return json::TypeError(Join(entry_path, "ids"), "token ids", id);
      }
      token.ids.push_back(static_cast<uint32_t>(v));
    }
    items.push_back(std::move(token));
  }
  return MakeTemplatePostProcessor(std::move(items));
}

absl::Status MergePairFromJson(json::element item, size_t i, std::string_view* left, std::string_view* right) {
  std::string_view line;
  if (item.get_string().get(line) == simdjson::SUCCESS) {
    const size_t space = line.find(' ');
    if (space == std::string_view::npos || line.find(' ', space + 1) != std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "model.merges[%d]: \"%s\" is not two tokens separated by one space", i, std::string(line)));
    }
    *left = line.substr(0, space);
    *right = line.substr(space + 1);
    return absl::OkStatus();
  }
  json::array pair;
  if (item.get_array().get(pair) == simdjson::SUCCESS && pair.size() == 2 &&
      pair.at(0).get_string().get(*left) == simdjson::SUCCESS &&
      pair.at(1).get_string().get(*right) == simdjson::SUCCESS) {
    return absl::OkStatus();
  }
  return json::TypeError(json::Index("model.merges", i), "a string or a pair of strings", item);
}

}  // namespace tokgraft
