// Rewrites a pattern written for Oniguruma (Ruby syntax, UTF-8, as in HF
// tokenizer.json files) into a PCRE2 pattern with the same meaning, for the
// constructs where the two engines read the same text differently.
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_ONIG_TO_PCRE2_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_ONIG_TO_PCRE2_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tokgraft {

struct Pcre2Pattern {
  std::string text;
  // source_offset[i]: offset in the Onig pattern of what became text[i], so
  // that PCRE2's error offsets can be reported against the pattern as written.
  std::vector<size_t> source_offset;

  size_t SourceOffset(size_t pcre2_offset, size_t source_size) const {
    return pcre2_offset < source_offset.size() ? source_offset[pcre2_offset] : source_size;
  }
};

// Fails with InvalidArgument for Onig constructs PCRE2 cannot express
// (character class intersection, nested classes, \H and \W inside a class).
//
// Rewritten, because PCRE2 (with PCRE2_UCP) reads them otherwise:
//   \s \S    Onig: White_Space. PCRE2: also U+180E.       -> \p{White_Space}
//   \w \W    Onig: Alphabetic, marks, Nd, Pc. PCRE2: letters, numbers, '_'.
//   \b \B    follow \w, so they are spelled out with lookarounds.
//   \h \H    Onig: hex digit. PCRE2: horizontal space.    -> [0-9a-fA-F]
//   \v       Onig: U+000B. PCRE2: vertical space.         -> \x{0B}
//   \uHHHH   Onig only.                                   -> \x{HHHH}
//   (?m)     Onig (Ruby): dot matches newline. PCRE2: multiline -> (?s)
//   {,n}     Onig: {0,n}. PCRE2: literal text.            -> {0,n}
// Ruby's ^ and $ always work on lines: the caller compiles with PCRE2_MULTILINE.
// Not rewritten: case-insensitive multi-character folds (Onig's (?i)ss matches
// U+00DF, PCRE2's does not) and POSIX brackets ([[:alpha:]] and the like).
absl::StatusOr<Pcre2Pattern> TranslateOnigToPcre2(std::string_view onig_pattern);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_ONIG_TO_PCRE2_H_
