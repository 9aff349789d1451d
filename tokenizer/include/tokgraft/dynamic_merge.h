// Dynamic merging: BPE over a batch of encoded texts. The most frequent
// adjacent pair of tokens becomes a new, batch-local token, again and again,
// which shortens the batch's sequences without changing the tokenizer.
#ifndef TOKGRAFT_DYNAMIC_MERGE_H_
#define TOKGRAFT_DYNAMIC_MERGE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {

// Which adjacent tokens may end up in one dynamic token. Special tokens never
// merge, in every mode.
enum class MergeBoundary {
  kPreToken,    // both in the same pre-token of the tokenizer's pre-tokenizer
  kWord,        // both in the same word: a run of \w characters (letters, marks,
                // numbers, connector punctuation such as '_'); whitespace and
                // other punctuation, hyphens included, separate words
  kWordHyphen,  // as kWord, but '-' and U+2010 count as word characters
  kAny,         // any two tokens
};

struct DynamicMergeOptions {
  MergeBoundary boundary = MergeBoundary::kPreToken;
  size_t max_merges = 0;
  // Stop once the total length has shrunk by this fraction, in [0, 1].
  std::optional<double> target_reduction;
  // Called after each merge with the number made so far (progress reports).
  std::function<void(size_t merges)> on_merge;
};

struct DynamicToken {
  uint32_t id = 0;     // tokenizer's vocab_size + index in the dynamic vocabulary
  uint32_t left = 0;   // the two ids merged (either may be dynamic)
  uint32_t right = 0;
  std::vector<uint32_t> parts;  // the tokenizer's ids it stands for, in order
  std::string bytes;            // what it decodes to (may be invalid UTF-8)
  size_t count = 0;             // occurrences merged when it was made
};

struct DynamicMergeResult {
  std::vector<std::vector<uint32_t>> sequences;  // the batch, merged
  std::vector<DynamicToken> vocabulary;          // in the order of merging
};

// Repeatedly takes the most frequent adjacent pair across the batch that the
// boundary mode allows (ties: the smallest (left, right) ids) and merges its
// occurrences left to right, never overlapping. Stops after max_merges
// merges, at the target reduction, or when no pair occurs twice (a pair seen
// once is not worth a vocabulary entry). kPreToken needs the encodings'
// pretoken_ids (EncodeOptions::with_pretoken_ids). Fails on ids the tokenizer
// does not know, missing pre-token ids, or a target outside [0, 1].
absl::StatusOr<DynamicMergeResult> MergeBatch(const Tokenizer& tokenizer, absl::Span<const Encoding> batch,
                                              const DynamicMergeOptions& options);

// Embeddings for the dynamic vocabulary: row i (of vocabulary.size() rows,
// row-major, `dim` wide) is the mean of the rows of vocabulary[i].parts (a
// repeated part counts each time) in `embeddings`, a row-major matrix of
// `rows` x `dim` floats. Fails when the sizes disagree or a part has no row.
absl::StatusOr<std::vector<float>> DynamicTokenEmbeddings(absl::Span<const float> embeddings, size_t rows,
                                                          size_t dim, absl::Span<const DynamicToken> vocabulary);

}  // namespace tokgraft

#endif  // TOKGRAFT_DYNAMIC_MERGE_H_
