// The error every pattern compiler in this directory returns for a pattern it
// cannot compile.
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PATTERN_ERROR_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PATTERN_ERROR_H_

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace tokgraft {

// InvalidArgument naming the pattern and the byte offset of the problem in it.
inline absl::Status PatternError(std::string_view pattern, size_t offset, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrFormat("regex \"%s\": %s at offset %d", pattern, message, offset));
}

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PATTERN_ERROR_H_
