// What a Replace step (normalizer or decoder) looks for: a literal string or a
// regex, matched left to right without overlaps.
#ifndef TOKGRAFT_TOKENIZER_NORMALIZERS_REPLACE_PATTERN_H_
#define TOKGRAFT_TOKENIZER_NORMALIZERS_REPLACE_PATTERN_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "pre_tokenizers/split_regex.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {

class ReplacePattern {
 public:
  // Fails on an empty pattern (the reference would insert the replacement
  // between all characters) and on a regex that does not compile.
  static absl::StatusOr<ReplacePattern> Create(std::string pattern, bool is_regex);

  // Appends the matches in `text`. The text may hold invalid UTF-8 (decoders
  // run after byte-level steps); a regex then matches within its valid runs.
  void FindMatches(std::string_view text, std::vector<ByteSpan>* matches) const;

  // The pattern quoted ("...") if literal, between slashes (/.../) if a regex,
  // escaped to fit on one line.
  std::string Describe() const;

 private:
  ReplacePattern(std::string pattern, std::unique_ptr<SplitRegex> regex)
      : pattern_(std::move(pattern)), regex_(std::move(regex)) {}

  std::string pattern_;
  std::unique_ptr<SplitRegex> regex_;  // null for a literal
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_NORMALIZERS_REPLACE_PATTERN_H_
