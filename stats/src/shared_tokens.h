// The overlap of vocabularies: how many regular tokens two tokenizers share,
// by canonical bytes (token_table.h), whatever their formats.
#ifndef TOKGRAFT_STATS_SHARED_TOKENS_H_
#define TOKGRAFT_STATS_SHARED_TOKENS_H_

#include <cstdint>
#include <vector>

#include "token_table.h"

namespace tokgraft::stats {

// result[i][j]: distinct canonical byte strings of regular and byte-fallback
// tokens that tables i and j both have (result[i][i]: i's own count).
std::vector<std::vector<uint64_t>> CountSharedTokens(const std::vector<const TokenTable*>& tables);

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_SHARED_TOKENS_H_
