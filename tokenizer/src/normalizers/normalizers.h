// The normalizers of tokenizer.json, each reproducing the reference's output
// and alignments (HF NormalizedString).
#ifndef TOKGRAFT_TOKENIZER_NORMALIZERS_NORMALIZERS_H_
#define TOKGRAFT_TOKENIZER_NORMALIZERS_NORMALIZERS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "normalizer.h"

namespace tokgraft {

enum class UnicodeForm { kNFC, kNFD, kNFKC, kNFKD };

// Unicode normalization as of Unicode 9.0, the version of the reference's
// tables: characters assigned later pass through unchanged. Fails when ICU's
// normalization data cannot be loaded.
absl::StatusOr<std::unique_ptr<Normalizer>> MakeUnicodeNormalizer(UnicodeForm form);

// Replaces every non-overlapping match of `pattern` (a literal string, or a
// regex compiled with SplitRegex::Compile) by `content`. Fails on an empty
// pattern or a regex that does not compile.
absl::StatusOr<std::unique_ptr<Normalizer>> MakeReplaceNormalizer(std::string pattern,
                                                                  bool pattern_is_regex,
                                                                  std::string content);

// Puts `prefix` in front of non-empty text.
std::unique_ptr<Normalizer> MakePrependNormalizer(std::string prefix);

// Full Unicode lowercase mapping, character by character (no final-sigma rule).
std::unique_ptr<Normalizer> MakeLowercaseNormalizer();

// Removes leading and/or trailing Unicode White_Space characters.
std::unique_ptr<Normalizer> MakeStripNormalizer(bool left, bool right);

// Applies `steps` in order.
std::unique_ptr<Normalizer> MakeSequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> steps);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_NORMALIZERS_NORMALIZERS_H_
