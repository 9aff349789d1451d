// Where a boundary mode lets adjacent tokens of one encoding merge.
#ifndef TOKGRAFT_TOKENIZER_DYNAMIC_MERGE_MERGEABLE_GAPS_H_
#define TOKGRAFT_TOKENIZER_DYNAMIC_MERGE_MERGEABLE_GAPS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "dynamic_merge/base_vocabulary.h"
#include "tokgraft/dynamic_merge.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {

// Element i says whether tokens i - 1 and i may be in one dynamic token
// (element 0 is false). Fails on unknown ids and, for kPreToken, on missing
// pre-token ids.
absl::StatusOr<std::vector<bool>> MergeableGaps(const Encoding& encoding, MergeBoundary boundary,
                                                BaseVocabulary* vocabulary);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_DYNAMIC_MERGE_MERGEABLE_GAPS_H_
