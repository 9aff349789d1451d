// Facts about one tokenizer that need no corpus: vocabulary, byte coverage,
// added tokens, unreachable and longest tokens, number handling.
#ifndef TOKGRAFT_STATS_TOKENIZER_FACTS_H_
#define TOKGRAFT_STATS_TOKENIZER_FACTS_H_

#include "absl/status/statusor.h"
#include "token_table.h"
#include "tokgraft/stats.h"

namespace tokgraft::stats {

// Whether the tokenizer puts a space before the text (sentencepiece's
// add_dummy_prefix, Metaspace's prepend_scheme): encoding "a" gives " a".
absl::StatusOr<bool> PrependsSpace(const Tokenizer& tokenizer, const TokenTable& table);

// Encodes each checked token's text once (EncodeBatch on `threads` threads).
absl::Status FindUnreachableTokens(const Tokenizer& tokenizer, const TokenTable& table, int threads,
                                   TokenizerFacts* facts);

absl::StatusOr<TokenizerFacts> ComputeTokenizerFacts(const Tokenizer& tokenizer, const TokenTable& table,
                                                     int threads);

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_TOKENIZER_FACTS_H_
