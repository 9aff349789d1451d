// Gathers what one tokenizer made of a stream of documents (one category, or
// the whole corpus): counts that are turned into TextMetrics at the end.
// Memory is proportional to the vocabulary, not to the text.
#ifndef TOKGRAFT_STATS_TEXT_ACCUMULATOR_H_
#define TOKGRAFT_STATS_TEXT_ACCUMULATOR_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "token_table.h"
#include "tokgraft/stats.h"
#include "word_dictionary.h"

namespace tokgraft::stats {

// Code points in valid UTF-8 text.
uint64_t CountCharacters(std::string_view text);

class TextAccumulator {
 public:
  explicit TextAccumulator(const TokenTable* table);

  // `encoding` must have offsets; `words` are the text's word spans in order.
  void AddDocument(std::string_view text, uint64_t characters, absl::Span<const ByteSpan> words,
                   const Encoding& encoding);
  // Adds everything `other` gathered (for corpus-wide totals).
  void Merge(const TextAccumulator& other);
  // With a dictionary, fills word_validity from the distinct tokens used.
  TextMetrics Finish(WordDictionary* dictionary) const;

 private:
  const TokenTable* table_;
  TextMetrics totals_;                   // the additive fields
  std::vector<uint64_t> id_counts_;      // by id
  std::vector<bool> began_word_;         // by id: the first token over some word
};

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_TEXT_ACCUMULATOR_H_
