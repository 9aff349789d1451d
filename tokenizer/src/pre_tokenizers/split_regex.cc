#include "pre_tokenizers/split_regex.h"

#include "pre_tokenizers/pcre2_regex.h"
#include "pre_tokenizers/regex_scanners.h"

namespace tokgraft {

absl::StatusOr<std::unique_ptr<SplitRegex>> SplitRegex::Compile(std::string_view pattern) {
  if (std::unique_ptr<SplitRegex> scanner = MakePublishedPatternScanner(pattern)) return scanner;
  return CompilePcre2SplitRegex(pattern);
}

absl::StatusOr<std::unique_ptr<SplitRegex>> SplitRegex::CompileGeneral(std::string_view pattern) {
  return CompilePcre2SplitRegex(pattern);
}

}  // namespace tokgraft
