#include "tokenizer_facts.h"

#include <algorithm>
#include <array>

#include "number_handling.h"
#include "unicode/utf8.h"

namespace tokgraft::stats {
namespace {

constexpr size_t kExamples = 10;
constexpr size_t kAddedTokenExamples = 20;

bool IsValidUtf8(std::string_view s) {
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(s.size());
  while (i < length) {
    UChar32 c;
    U8_NEXT(s.data(), i, length, c);
    if (c < 0) return false;
  }
  return true;
}

TokenExample Example(const Tokenizer& tokenizer, const TokenTable& table, uint32_t id) {
  return {id, tokenizer.IdToToken(id).value_or(""), table.bytes[id]};
}

}  // namespace

absl::StatusOr<bool> PrependsSpace(const Tokenizer& tokenizer, const TokenTable& table) {
  absl::StatusOr<Encoding> encoding = tokenizer.Encode("a");
  if (!encoding.ok()) return encoding.status();
  std::string bytes;
  for (uint32_t id : encoding->ids) {
    if (id < table.vocab_size()) bytes += table.bytes[id];
  }
  return bytes == " a";
}

absl::Status FindUnreachableTokens(const Tokenizer& tokenizer, const TokenTable& table, int threads,
                                   TokenizerFacts* facts) {
  absl::StatusOr<bool> prepends_space = PrependsSpace(tokenizer, table);
  if (!prepends_space.ok()) return prepends_space.status();
  std::vector<uint32_t> ids;
  std::vector<std::string_view> texts;
  for (uint32_t id = 0; id < table.vocab_size(); ++id) {
    if (table.kinds[id] != TokenKind::kRegular) continue;
    std::string_view text = table.bytes[id];
    if (*prepends_space) {
      // The tokenizer adds the space back.
      if (text.empty() || text[0] != ' ') continue;
      text.remove_prefix(1);
    }
    if (text.empty() || !IsValidUtf8(text)) continue;
    ids.push_back(id);
    texts.push_back(text);
  }
  absl::StatusOr<std::vector<Encoding>> encodings = tokenizer.EncodeBatch(texts, EncodeOptions(), threads);
  if (!encodings.ok()) return encodings.status();
  facts->reachability_checked = ids.size();
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::vector<uint32_t>& got = (*encodings)[i].ids;
    if (got.size() == 1 && got[0] == ids[i]) continue;
    ++facts->unreachable;
    if (facts->unreachable_examples.size() < kExamples) {
      facts->unreachable_examples.push_back(Example(tokenizer, table, ids[i]));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<TokenizerFacts> ComputeTokenizerFacts(const Tokenizer& tokenizer, const TokenTable& table,
                                                     int threads) {
  const TokenizerInfo info = tokenizer.Info();
  TokenizerFacts facts;
  facts.format = info.format;
  facts.model_type = info.model_type;
  facts.vocab_size = table.vocab_size();

  std::array<bool, 256> covered{};
  std::vector<uint32_t> regular;
  for (uint32_t id = 0; id < table.vocab_size(); ++id) {
    const TokenKind kind = table.kinds[id];
    if (kind == TokenKind::kRegular) regular.push_back(id);
    if (kind == TokenKind::kByteFallback) ++facts.byte_fallback_tokens;
    if ((kind == TokenKind::kRegular || kind == TokenKind::kByteFallback) && table.bytes[id].size() == 1) {
      covered[static_cast<unsigned char>(table.bytes[id][0])] = true;
    }
  }
  facts.regular_tokens = regular.size();
  for (int b = 0; b < 256; ++b) {
    if (!covered[b]) facts.missing_bytes.push_back(b);
  }
  for (const SpecialTokenInfo& added : info.added_tokens) {
    ++(added.special ? facts.special_tokens : facts.added_tokens);
    if (facts.added_token_examples.size() < kAddedTokenExamples) facts.added_token_examples.push_back(added);
  }

  // Longest first; the lower id among equals, so that the result is stable.
  const size_t longest = std::min(kExamples, regular.size());
  std::partial_sort(regular.begin(), regular.begin() + longest, regular.end(), [&](uint32_t a, uint32_t b) {
    if (table.bytes[a].size() != table.bytes[b].size()) return table.bytes[a].size() > table.bytes[b].size();
    return a < b;
  });
  for (size_t i = 0; i < longest; ++i) facts.longest_tokens.push_back(Example(tokenizer, table, regular[i]));

  if (absl::Status s = FindUnreachableTokens(tokenizer, table, threads, &facts); !s.ok()) return s;
  absl::StatusOr<NumberHandling> numbers = AnalyzeNumbers(tokenizer, table);
  if (!numbers.ok()) return numbers.status();
  facts.numbers = *std::move(numbers);
  return facts;
}

}  // namespace tokgraft::stats
