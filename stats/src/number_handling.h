// How a tokenizer groups digits: read from its vocabulary, then checked by
// encoding numbers (kNumberProbe).
#ifndef TOKGRAFT_STATS_NUMBER_HANDLING_H_
#define TOKGRAFT_STATS_NUMBER_HANDLING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "token_table.h"
#include "tokgraft/stats.h"

namespace tokgraft::stats {

// The grouping that the digit counts of consecutive pieces of one run of
// digits show, e.g. {3,3,1} -> "groups of 3 from the left".
std::string ClassifyDigitGroups(const std::vector<std::vector<size_t>>& runs);

absl::StatusOr<NumberHandling> AnalyzeNumbers(const Tokenizer& tokenizer, const TokenTable& table);

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_NUMBER_HANDLING_H_
