#include "text_accumulator.h"

#include <set>

#include "gtest/gtest.h"
#include "stats/stats_test_util.h"
#include "word_segmenter.h"

namespace tokgraft::stats {
namespace {

TEST(TextAccumulatorTest, CountsTokensWordsAndSplitWords) {
  auto tok = testing::LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const TokenTable table = BuildTokenTable(*tok);
  const std::string text = "the the the tokenizers";
  EncodeOptions options;
  options.with_offsets = true;
  absl::StatusOr<Encoding> encoding = tok->Encode(text, options);
  ASSERT_TRUE(encoding.ok());
  absl::StatusOr<WordSegmenter> segmenter = WordSegmenter::Create();
  ASSERT_TRUE(segmenter.ok());
  std::vector<ByteSpan> words;
  ASSERT_TRUE(segmenter->Segment(text, &words).ok());
  ASSERT_EQ(words.size(), 4u);

  // Expected from the encoding itself: a word is split if 2+ tokens overlap it.
  uint64_t split = 0;
  for (const ByteSpan& w : words) {
    int overlapping = 0;
    for (const ByteSpan& t : encoding->offsets) overlapping += t.begin < w.end && t.end > w.begin;
    split += overlapping >= 2;
  }
  ASSERT_GE(encoding->ids.size(), 4u) << "the demo vocabulary has no single token for \" tokenizers\"";

  TextAccumulator accumulator(&table);
  accumulator.AddDocument(text, CountCharacters(text), words, *encoding);
  accumulator.AddDocument(text, CountCharacters(text), words, *encoding);
  const TextMetrics m = accumulator.Finish(nullptr);
  EXPECT_EQ(m.documents, 2u);
  EXPECT_EQ(m.bytes, 2 * text.size());
  EXPECT_EQ(m.characters, 2 * text.size());
  EXPECT_EQ(m.tokens, 2 * encoding->ids.size());
  EXPECT_EQ(m.words, 8u);
  EXPECT_EQ(m.split_words, 2 * split);
  EXPECT_GE(split, 1u);
  EXPECT_FALSE(m.word_validity.has_value());
  uint64_t histogram_total = 0;
  for (uint64_t count : m.token_length_histogram) histogram_total += count;
  EXPECT_EQ(histogram_total, m.tokens);
  // " the" twice per document: fewer distinct tokens than tokens, and an
  // uneven distribution, where Rényi (alpha > 1) entropy is below Shannon's.
  EXPECT_EQ(m.distinct_tokens, std::set<uint32_t>(encoding->ids.begin(), encoding->ids.end()).size());
  EXPECT_LT(m.distinct_tokens, encoding->ids.size());
  EXPECT_GT(m.shannon_efficiency, 0);
  EXPECT_LT(m.renyi_efficiency, m.shannon_efficiency);

  TextAccumulator total(&table);
  total.Merge(accumulator);
  const TextMetrics merged = total.Finish(nullptr);
  EXPECT_EQ(merged.tokens, m.tokens);
  EXPECT_EQ(merged.distinct_tokens, m.distinct_tokens);
  EXPECT_DOUBLE_EQ(merged.renyi_efficiency, m.renyi_efficiency);
}

TEST(TextAccumulatorTest, CountsCodePoints) {
  EXPECT_EQ(CountCharacters("aé日👍"), 4u);
  EXPECT_EQ(CountCharacters(""), 0u);
}

}  // namespace
}  // namespace tokgraft::stats
