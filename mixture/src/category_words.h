// A category's sample as the tokenizer's trainer saw its text: the pieces of
// the tokenizer's own normalizer and pre-tokenizer, counted.
#ifndef TOKGRAFT_MIXTURE_CATEGORY_WORDS_H_
#define TOKGRAFT_MIXTURE_CATEGORY_WORDS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "tokgraft/mixture.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::mixture {

// Where sentencepiece's trainer cut words that the tokenizer.json form of a
// sentencepiece tokenizer (no pre-tokenizer: a whole line is one piece) does
// not cut. Decided from the merge list.
struct SplitRules {
  // A word begins at every U+2581 that follows other text, unless merges join
  // across such a boundary (more than one merge in a thousand does).
  bool cut_before_metaspace = false;
  // Every ASCII digit is a word of its own when no merge holds a digit
  // (sentencepiece's split_digits).
  bool cut_around_digits = false;
};

SplitRules SplitRulesFor(const std::vector<std::pair<std::string, std::string>>& merges, bool byte_level);

struct CategoryWords {
  absl::flat_hash_map<std::string, uint64_t> words;
  uint64_t bytes = 0;  // of the sample's text (separator lines excluded)
};

// Reads the sample and counts its pieces, giving the pre-tokenizer one line
// (`by_line`) or one document at a time. Fails naming the file.
absl::StatusOr<CategoryWords> ReadCategoryWords(const Tokenizer& tokenizer, const CategorySample& sample,
                                                bool by_line, const SplitRules& rules);

}  // namespace tokgraft::mixture

#endif  // TOKGRAFT_MIXTURE_CATEGORY_WORDS_H_
