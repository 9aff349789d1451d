#include "token_table.h"

#include "absl/strings/str_replace.h"

namespace tokgraft::stats {
namespace {

bool IsByteFallbackToken(std::string_view token) {
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
  return token.size() == 6 && token.substr(0, 3) == "<0x" && hex(token[3]) && hex(token[4]) && token[5] == '>';
}

}  // namespace

std::string CanonicalTokenBytes(std::string_view raw) {
  return absl::StrReplaceAll(absl::string_view(raw.data(), raw.size()), {{"\xE2\x96\x81", " "}});
}

bool UsesMetaspace(const Tokenizer& tokenizer) {
  const std::optional<uint32_t> id = tokenizer.TokenToId("\xE2\x96\x81");
  return id && tokenizer.IdToBytes(*id) == " ";
}

TokenTable BuildTokenTable(const Tokenizer& tokenizer) {
  const TokenizerInfo info = tokenizer.Info();
  // Only there does "▁" stand for a space; byte-level vocabularies have
  // tokens holding a real U+2581.
  const bool metaspace = UsesMetaspace(tokenizer);
  TokenTable table;
  table.bytes.resize(info.vocab_size);
  table.kinds.assign(info.vocab_size, TokenKind::kNone);
  for (uint32_t id = 0; id < info.vocab_size; ++id) {
    std::optional<std::string> bytes = tokenizer.IdToBytes(id);
    if (!bytes) continue;
    const std::optional<std::string> token = tokenizer.IdToToken(id);
    const bool fallback = bytes->size() == 1 && token && IsByteFallbackToken(*token);
    table.kinds[id] = fallback ? TokenKind::kByteFallback : TokenKind::kRegular;
    table.bytes[id] = fallback || !metaspace ? *std::move(bytes) : CanonicalTokenBytes(*bytes);
  }
  for (const SpecialTokenInfo& added : info.added_tokens) {
    if (added.id < table.kinds.size()) table.kinds[added.id] = TokenKind::kAdded;
  }
  return table;
}

}  // namespace tokgraft::stats
