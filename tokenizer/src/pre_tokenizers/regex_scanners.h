// Hand-written matchers for the published split patterns. Each reproduces,
// match for match, what a backtracking engine (Oniguruma in HF tokenizers)
// finds for its pattern, without running a regex engine.
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_REGEX_SCANNERS_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_REGEX_SCANNERS_H_

#include <memory>
#include <string_view>

#include "pre_tokenizers/split_regex.h"

namespace tokgraft {

// The scanner for `pattern` when it is, byte for byte, one of the published
// patterns (GPT-2/r50k/p50k, cl100k/Llama 3, Qwen2, o200k); null otherwise.
std::unique_ptr<SplitRegex> MakePublishedPatternScanner(std::string_view pattern);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_REGEX_SCANNERS_H_
