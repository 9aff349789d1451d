// The general engine behind SplitRegex: any Onig pattern, run on PCRE2.
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PCRE2_REGEX_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PCRE2_REGEX_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "pre_tokenizers/split_regex.h"

namespace tokgraft {

// Compiles `onig_pattern` (Oniguruma Ruby syntax, as found in tokenizer.json)
// for PCRE2, JIT-compiled where PCRE2 has a JIT for this machine.
absl::StatusOr<std::unique_ptr<SplitRegex>> CompilePcre2SplitRegex(std::string_view onig_pattern);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PCRE2_REGEX_H_
