// The ratios reported from TextMetrics' counts.
#include <cmath>
#include <limits>

#include "tokgraft/stats.h"

namespace tokgraft::stats {
namespace {

double Ratio(double numerator, double denominator) {
  return denominator == 0 ? std::numeric_limits<double>::quiet_NaN() : numerator / denominator;
}

}  // namespace

double BytesPerToken(const TextMetrics& m) { return Ratio(m.bytes, m.tokens); }
double CharactersPerToken(const TextMetrics& m) { return Ratio(m.characters, m.tokens); }
double TokensPerWord(const TextMetrics& m) { return Ratio(m.tokens, m.words); }
double SplitWordShare(const TextMetrics& m) { return Ratio(m.split_words, m.words); }
double VocabularyUtilisation(const TextMetrics& m, size_t vocab_size) {
  return Ratio(m.distinct_tokens, vocab_size);
}
double EncodeMegabytesPerSecond(const TokenizerStats& t) { return Ratio(t.overall.bytes / 1e6, t.encode_seconds); }

}  // namespace tokgraft::stats
