#include "text_accumulator.h"

#include <algorithm>

#include "distribution.h"

namespace tokgraft::stats {

uint64_t CountCharacters(std::string_view text) {
  uint64_t characters = 0;
  for (char c : text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return characters;
}

TextAccumulator::TextAccumulator(const TokenTable* table)
    : table_(table), id_counts_(table->vocab_size()), began_word_(table->vocab_size()) {
  totals_.token_length_histogram.assign(kTokenLengthBuckets, 0);
}

void TextAccumulator::AddDocument(std::string_view text, uint64_t characters, absl::Span<const ByteSpan> words,
                                  const Encoding& encoding) {
  ++totals_.documents;
  totals_.bytes += text.size();
  totals_.characters += characters;
  totals_.tokens += encoding.ids.size();
  totals_.words += words.size();
  for (uint32_t id : encoding.ids) {
    if (id >= id_counts_.size()) continue;  // cannot happen for a consistent tokenizer
    ++id_counts_[id];
    const size_t length = std::max<size_t>(1, table_->bytes[id].size());
    ++totals_.token_length_histogram[std::min<size_t>(length, kTokenLengthBuckets) - 1];
  }
  // Tokens and words are both in text order: one sweep finds the tokens that
  // overlap each word.
  const std::vector<ByteSpan>& spans = encoding.offsets;
  size_t first = 0;
  for (const ByteSpan& word : words) {
    while (first < spans.size() && spans[first].end <= word.begin) ++first;
    size_t overlapping = 0;
    for (size_t k = first; k < spans.size() && spans[k].begin < word.end; ++k) {
      if (spans[k].end <= word.begin) continue;
      if (overlapping == 0 && encoding.ids[k] < began_word_.size()) began_word_[encoding.ids[k]] = true;
      ++overlapping;
    }
    totals_.split_words += overlapping >= 2;
  }
}

void TextAccumulator::Merge(const TextAccumulator& other) {
  totals_.documents += other.totals_.documents;
  totals_.bytes += other.totals_.bytes;
  totals_.characters += other.totals_.characters;
  totals_.tokens += other.totals_.tokens;
  totals_.words += other.totals_.words;
  totals_.split_words += other.totals_.split_words;
  for (int i = 0; i < kTokenLengthBuckets; ++i) {
    totals_.token_length_histogram[i] += other.totals_.token_length_histogram[i];
  }
  for (size_t id = 0; id < id_counts_.size(); ++id) {
    id_counts_[id] += other.id_counts_[id];
    if (other.began_word_[id]) began_word_[id] = true;
  }
}

TextMetrics TextAccumulator::Finish(WordDictionary* dictionary) const {
  TextMetrics m = totals_;
  m.distinct_tokens = id_counts_.size() - std::count(id_counts_.begin(), id_counts_.end(), 0);
  m.shannon_efficiency = Efficiency(ShannonEntropy(id_counts_), table_->vocab_size());
  m.renyi_efficiency = Efficiency(RenyiEntropy(id_counts_, kRenyiAlpha), table_->vocab_size());
  if (dictionary == nullptr) return m;
  WordValidity validity;
  validity.dictionary = dictionary->name();
  for (size_t id = 0; id < id_counts_.size(); ++id) {
    if (id_counts_[id] == 0 || table_->kinds[id] != TokenKind::kRegular) continue;
    std::string_view text = table_->bytes[id];
    if (!IsAlphabetic(text)) continue;
    if (text[0] == ' ') text.remove_prefix(1);
    const bool word = dictionary->IsWord(text);
    ++validity.alphabetic_tokens;
    validity.valid_tokens += word;
    if (began_word_[id]) {
      ++validity.word_initial_tokens;
      validity.word_initial_valid += word;
    }
  }
  m.word_validity = validity;
  return m;
}

}  // namespace tokgraft::stats
