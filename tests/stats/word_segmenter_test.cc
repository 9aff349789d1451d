#include "word_segmenter.h"

#include "gtest/gtest.h"

namespace tokgraft::stats {
namespace {

std::vector<std::string> Words(std::string_view text) {
  absl::StatusOr<WordSegmenter> segmenter = WordSegmenter::Create();
  EXPECT_TRUE(segmenter.ok());
  std::vector<ByteSpan> spans;
  EXPECT_TRUE(segmenter->Segment(text, &spans).ok());
  std::vector<std::string> words;
  for (const ByteSpan& s : spans) words.emplace_back(text.substr(s.begin, s.end - s.begin));
  return words;
}

TEST(WordSegmenterTest, CountsWordsNotSpacesOrPunctuation) {
  EXPECT_EQ(Words("Hello, world! It's 42 times."),
            std::vector<std::string>({"Hello", "world", "It's", "42", "times"}));
}

TEST(WordSegmenterTest, GivesByteOffsetsOfUtf8Text) {
  // "Größe" is 6 bytes; the offsets must be bytes, not UTF-16 units.
  EXPECT_EQ(Words("Die Größe — über"), std::vector<std::string>({"Die", "Größe", "über"}));
}

TEST(WordSegmenterTest, SegmentsTextWithoutSpacesByDictionary) {
  const std::vector<std::string> words = Words("日本語の文章です");
  EXPECT_GE(words.size(), 3u);
  std::string joined;
  for (const std::string& w : words) joined += w;
  EXPECT_EQ(joined, "日本語の文章です");
}

}  // namespace
}  // namespace tokgraft::stats
