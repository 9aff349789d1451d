// Finds the matches of a pre-tokenizer split pattern exactly as the reference
// (Oniguruma in HF tokenizers, fancy-regex in tiktoken) does: leftmost-first
// alternation, non-overlapping, left to right.
//
// Compile() recognises the published patterns (GPT-2, cl100k, o200k, Qwen2,
// ...) and returns a hand-written scanner for them; every other pattern runs
// on PCRE2. Unicode properties in the scanners come from ICU.
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_SPLIT_REGEX_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_SPLIT_REGEX_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {

class SplitRegex {
 public:
  // Fails with InvalidArgument naming the pattern and the position of a syntax error.
  static absl::StatusOr<std::unique_ptr<SplitRegex>> Compile(std::string_view pattern);
  // Always PCRE2, never a scanner: the oracle the scanners are tested against.
  static absl::StatusOr<std::unique_ptr<SplitRegex>> CompileGeneral(std::string_view pattern);

  virtual ~SplitRegex() = default;
  // Appends the non-empty matches in `text` (valid UTF-8), as spans relative to `text`.
  virtual void FindMatches(std::string_view text, std::vector<ByteSpan>* matches) const = 0;
  // "gpt2", "cl100k", ... for scanners; "pcre2" otherwise.
  virtual std::string_view engine() const = 0;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_SPLIT_REGEX_H_
