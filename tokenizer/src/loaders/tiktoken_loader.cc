// .tiktoken rank files: one "base64(token bytes) rank" line per token. The
// split pattern and special tokens are not in the file; they come with the
// encoding's name, as in tiktoken itself.
#include <fstream>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "byte_level_alphabet.h"
#include "decoders/decoders.h"
#include "loaders/loaders.h"
#include "pipeline_tokenizer.h"
#include "pre_tokenizers/pre_tokenizers.h"
#include "pre_tokenizers/published_patterns.h"
#include "status_macros.h"

namespace tokgraft {
namespace {

struct NamedEncoding {
  const char* name;
  const char* pattern;
  std::vector<std::pair<const char*, uint32_t>> special_tokens;
};

const std::vector<NamedEncoding>& NamedEncodings() {
  static const auto* encodings = new std::vector<NamedEncoding>{
      {"r50k_base", patterns::kGpt2, {{"<|endoftext|>", 50256}}},
      {"p50k_base", patterns::kGpt2, {{"<|endoftext|>", 50256}}},
      {"cl100k_base", patterns::kCl100k,
       {{"<|endoftext|>", 100257}, {"<|fim_prefix|>", 100258}, {"<|fim_middle|>", 100259},
        {"<|fim_suffix|>", 100260}, {"<|endofprompt|>", 100276}}},
      {"o200k_base", patterns::kO200k, {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}}},
  };
  return *encodings;
}

std::string KnownNames() {
  std::string names;
  for (const auto& e : NamedEncodings()) names += std::string(names.empty() ? "" : ", ") + e.name;
  return names;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Tokenizer>> LoadTiktoken(const std::string& path, const std::string& pattern_name) {
  const NamedEncoding* encoding = nullptr;
  for (const auto& e : NamedEncodings()) {
    if (pattern_name == e.name) encoding = &e;
  }
  if (!encoding) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "unknown tiktoken encoding \"%s\" (known: %s); pass one with --pattern", pattern_name, KnownNames()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrFormat("cannot read %s", path));

  absl::flat_hash_map<std::string, uint32_t> ranks;
  std::string line, token;
  size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
    uint32_t rank;
    if (fields.size() != 2 || !absl::Base64Unescape(fields[0], &token) || token.empty() ||
        !absl::SimpleAtoi(fields[1], &rank)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s:%d: expected \"<base64 token> <rank>\", found \"%s\"", path, line_number,
          line.substr(0, 80)));
    }
    if (!ranks.emplace(token, rank).second) {
      return absl::InvalidArgumentError(absl::StrFormat("%s:%d: token listed twice", path, line_number));
    }
  }
  if (ranks.empty()) return absl::InvalidArgumentError(absl::StrFormat("%s: no tokens", path));

  PipelineParts parts;
  parts.format = "tiktoken";
  // Mirror the tokenizer.json form of these encodings: token strings in the
  // GPT-2 alphabet, a ByteLevel decoder.
  for (const auto& [bytes, rank] : ranks) {
    if (rank >= parts.model_tokens.size()) parts.model_tokens.resize(rank + 1);
    if (!parts.model_tokens[rank].empty()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: rank %d is given to two tokens", path, rank));
    }
    parts.model_tokens[rank] = byte_level::BytesToMapped(bytes);
  }
  for (const auto& [content, id] : encoding->special_tokens) {
    if (id < parts.model_tokens.size() && !parts.model_tokens[id].empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: rank %d is taken by a token, but %s puts %s there: is this the right --pattern?", path, id,
          encoding->name, content));
    }
    AddedToken t;
    t.id = id;
    t.content = content;
    t.special = true;
    parts.added_tokens.push_back(std::move(t));
  }
  TOKGRAFT_ASSIGN_OR_RETURN(parts.pre_tokenizer,
                            MakeSplitPreTokenizer(encoding->pattern, true, SplitBehavior::kIsolated, false));
  parts.decoder = MakeByteLevelDecoder();
  BpeOptions options;
  options.byte_level = true;
  options.ignore_merges = true;  // tiktoken returns a piece that is a token as is
  auto model = BpeModel::CreateFromRanks(std::move(options), std::move(ranks));
  if (!model.ok()) return absl::InvalidArgumentError(absl::StrFormat("%s: %s", path, model.status().message()));
  parts.model = *std::move(model);
  TOKGRAFT_ASSIGN_OR_RETURN(std::unique_ptr<PipelineTokenizer> tok, PipelineTokenizer::Create(std::move(parts)));
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

}  // namespace tokgraft
