// The pre-tokenizers of tokenizer.json, built from already-parsed settings.
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PRE_TOKENIZERS_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PRE_TOKENIZERS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "decoders/decoders.h"
#include "pre_tokenizer.h"

namespace tokgraft {

// How the delimiters found by a pattern are kept (the reference's
// SplitDelimiterBehavior).
enum class SplitBehavior { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

absl::StatusOr<std::unique_ptr<PreTokenizer>> MakeSplitPreTokenizer(std::string pattern,
                                                                    bool pattern_is_regex,
                                                                    SplitBehavior behavior,
                                                                    bool invert);
// Only splits (and adds the prefix space): byte-level models work on raw
// bytes, so the GPT-2 byte-to-character mapping is folded into the model.
absl::StatusOr<std::unique_ptr<PreTokenizer>> MakeByteLevelPreTokenizer(bool add_prefix_space,
                                                                        bool use_regex);
std::unique_ptr<PreTokenizer> MakeMetaspacePreTokenizer(std::string replacement,
                                                        PrependScheme scheme, bool split);
std::unique_ptr<PreTokenizer> MakeDigitsPreTokenizer(bool individual_digits);
std::unique_ptr<PreTokenizer> MakeSequencePreTokenizer(
    std::vector<std::unique_ptr<PreTokenizer>> steps);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PRE_TOKENIZERS_H_
