// Every id of a tokenizer with its canonical bytes, so that vocabularies of
// different formats can be compared and token lengths measured: the GPT-2 byte
// alphabet decoded (IdToBytes does that), sentencepiece's "▁" as a space (also
// in added tokens such as gemma's "▁▁", which IdToBytes leaves alone), and
// byte-fallback tokens <0xNN> as their byte.
#ifndef TOKGRAFT_STATS_TOKEN_TABLE_H_
#define TOKGRAFT_STATS_TOKEN_TABLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokgraft/tokenizer.h"

namespace tokgraft::stats {

enum class TokenKind : uint8_t {
  kNone,          // no token has this id
  kRegular,       // learned vocabulary
  kByteFallback,  // <0xNN>
  kAdded,         // added or special token
};

struct TokenTable {
  std::vector<std::string> bytes;  // canonical bytes, by id
  std::vector<TokenKind> kinds;    // by id
  size_t vocab_size() const { return kinds.size(); }
};

// U+2581 ("▁", sentencepiece's word start) becomes a space.
std::string CanonicalTokenBytes(std::string_view raw);
// Whether "▁" is the tokenizer's token for a space (sentencepiece-style
// vocabularies): then every "▁" in its tokens' bytes stands for a space.
bool UsesMetaspace(const Tokenizer& tokenizer);

TokenTable BuildTokenTable(const Tokenizer& tokenizer);

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_TOKEN_TABLE_H_
