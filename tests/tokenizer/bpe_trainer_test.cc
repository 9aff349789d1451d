// BPE training: parity with HF's trainer on the committed goldens, the tie
// rule, word-count files, resuming, limits, and that what we write loads.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tokgraft/tokenizer.h"
#include "tokgraft/trainer.h"

namespace tokgraft {
namespace {

using Merges = std::vector<std::pair<std::string, std::string>>;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TempPath(const std::string& name) { return std::string(TOKGRAFT_BINARY_DIR) + "/trainer_test_" + name; }

WordCounts CountText(std::string_view splitter, std::string_view text) {
  WordCounts counts(*MakeWordSplitter(splitter));
  EXPECT_TRUE(counts.AddText(text).ok());
  return counts;
}

TrainedBpe Train(const WordCounts& counts, size_t vocab_size) {
  BpeTrainerOptions options;
  options.vocab_size = vocab_size;
  absl::StatusOr<TrainedBpe> trained = TrainBpe(counts, options);
  EXPECT_TRUE(trained.ok()) << trained.status();
  return *trained;
}

const std::string kDemoText = ReadAll(std::string(TOKGRAFT_SOURCE_DIR) + "/data/demo.txt");

TEST(BpeTrainerTest, SameMergesAsHuggingFaceByteLevel) {
  const TrainedBpe trained = Train(CountText("digits-bytelevel", kDemoText), 600);
  auto golden = ReadMergesFromTokenizerJson(std::string(TOKGRAFT_SOURCE_DIR) +
                                            "/tests/golden/training/demo-bytelevel.json");
  ASSERT_TRUE(golden.ok()) << golden.status();
  EXPECT_EQ(trained.merges, *golden);
  EXPECT_EQ(trained.vocab.size(), 256 + golden->size());
}

TEST(BpeTrainerTest, SameMergesAsHuggingFaceMetaspace) {
  const WordCounts counts = CountText("metaspace", kDemoText);
  auto golden = ReadMergesFromTokenizerJson(std::string(TOKGRAFT_SOURCE_DIR) +
                                            "/tests/golden/training/demo-metaspace.json");
  ASSERT_TRUE(golden.ok()) << golden.status();
  // The golden has 300 tokens without byte fallback; ours adds 256 <0xNN>.
  const TrainedBpe trained = Train(counts, 300 + 256);
  EXPECT_EQ(trained.merges, *golden);
}

TEST(BpeTrainerTest, TiesGoToTheSmallerIds) {
  // "ab" and "cd" are equally frequent: (a, b) has the smaller ids, so it is first.
  const TrainedBpe trained = Train(CountText("none", "cd\nab\n"), 256 + 2);
  ASSERT_EQ(trained.merges.size(), 2u);
  EXPECT_EQ(trained.merges[0], std::make_pair(std::string("a"), std::string("b")));
  EXPECT_EQ(trained.merges[1], std::make_pair(std::string("c"), std::string("d")));
}

TEST(BpeTrainerTest, MoreFrequentPairFirstAndDeterministic) {
  const WordCounts counts = CountText("gpt2", "xy xy xy ab\n");
  const TrainedBpe a = Train(counts, 256 + 3), b = Train(counts, 256 + 3);
  ASSERT_FALSE(a.merges.empty());
  EXPECT_EQ(a.merges[0], std::make_pair(std::string("x"), std::string("y")));
  EXPECT_EQ(a.merges, b.merges);
}

TEST(BpeTrainerTest, MinFrequencyStopsTraining) {
  BpeTrainerOptions options;
  options.vocab_size = 1000;
  options.min_frequency = 3;
  auto trained = TrainBpe(CountText("gpt2", "aa aa aa bb bb\n"), options);
  ASSERT_TRUE(trained.ok());
  // "Ġ a" and "a a" occur 3 times; "b b" only twice.
  for (const auto& [left, right] : trained->merges) EXPECT_NE(left + right, "bb");
  EXPECT_FALSE(trained->merges.empty());
}

TEST(BpeTrainerTest, MaxTokenLengthIsInclusive) {
  BpeTrainerOptions options;
  options.vocab_size = 1000;
  options.max_token_length = 3;
  auto trained = TrainBpe(CountText("none", "abcdefgh abcdefgh abcdefgh\n"), options);
  ASSERT_TRUE(trained.ok());
  // Byte-level tokens are written one character per byte.
  size_t longest = 0;
  for (const std::string& token : trained->vocab) {
    const size_t chars = std::count_if(token.begin(), token.end(), [](char c) { return (c & 0xC0) != 0x80; });
    longest = std::max(longest, chars);
  }
  EXPECT_EQ(longest, 3u);
}

TEST(BpeTrainerTest, SpecialTokensComeFirst) {
  BpeTrainerOptions options;
  options.vocab_size = 300;
  options.special_tokens = {"<s>", "</s>"};
  auto trained = TrainBpe(CountText("gpt2", kDemoText), options);
  ASSERT_TRUE(trained.ok());
  EXPECT_EQ(trained->vocab[0], "<s>");
  EXPECT_EQ(trained->vocab[1], "</s>");
  EXPECT_EQ(trained->vocab.size(), 300u);
  options.special_tokens = {"<s>", "<s>"};
  EXPECT_FALSE(TrainBpe(CountText("gpt2", kDemoText), options).ok());
}

TEST(BpeTrainerTest, CountFilesAddUpToTheSameMerges) {
  // Two shards counted apart and summed through files give the merges of
  // the whole text.
  const size_t half = kDemoText.find('\n', kDemoText.size() / 2) + 1;
  const WordCounts first = CountText("digits-bytelevel", kDemoText.substr(0, half));
  const WordCounts second = CountText("digits-bytelevel", kDemoText.substr(half));
  ASSERT_TRUE(first.Save(TempPath("a.counts")).ok());
  ASSERT_TRUE(second.Save(TempPath("b.counts")).ok());
  // Concatenated files are valid count files too.
  {
    std::ofstream both(TempPath("ab.counts"), std::ios::binary);
    both << ReadAll(TempPath("a.counts")) << ReadAll(TempPath("b.counts"));
  }
  WordCounts summed(*MakeWordSplitter("digits-bytelevel"));
  ASSERT_TRUE(summed.Read(TempPath("ab.counts")).ok());
  const WordCounts whole = CountText("digits-bytelevel", kDemoText);
  EXPECT_EQ(summed.words(), whole.words());
  EXPECT_EQ(Train(summed, 600).merges, Train(whole, 600).merges);
}

TEST(BpeTrainerTest, CountFileErrorsNameTheProblem) {
  ASSERT_TRUE(CountText("gpt2", "hello world\n").Save(TempPath("gpt2.counts")).ok());
  WordCounts other(*MakeWordSplitter("cl100k"));
  absl::Status s = other.Read(TempPath("gpt2.counts"));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("gpt2"), std::string_view::npos) << s;
  {
    std::ofstream bad(TempPath("bad.counts"));
    bad << "not a count file\n";
  }
  s = other.Read(TempPath("bad.counts"));
  EXPECT_NE(s.message().find(":1:"), std::string_view::npos) << s;
  WordCounts counts(*MakeWordSplitter("gpt2"));
  s = counts.AddText("ok \xff bad");
  EXPECT_NE(s.message().find("byte 3"), std::string_view::npos) << s;
}

TEST(BpeTrainerTest, UnknownPreTokenizerIsAnError) {
  EXPECT_FALSE(MakeWordSplitter("(unclosed").ok());
  EXPECT_FALSE(MakeWordSplitter("").ok());
  EXPECT_TRUE(MakeWordSplitter(R"(\p{L}+|\s+|.)").ok());
}

TEST(BpeTrainerTest, ResumeKeepsTheGivenMergesFirst) {
  const WordCounts counts = CountText("digits-bytelevel", kDemoText);
  const TrainedBpe first = Train(counts, 300);
  BpeTrainerOptions options;
  options.vocab_size = 600;
  options.initial_merges = first.merges;
  auto resumed = TrainBpe(counts, options);
  ASSERT_TRUE(resumed.ok());
  ASSERT_GT(resumed->merges.size(), first.merges.size());
  EXPECT_TRUE(std::equal(first.merges.begin(), first.merges.end(), resumed->merges.begin()));
  // Greedy training continued from its own prefix is training from scratch.
  EXPECT_EQ(resumed->merges, Train(counts, 600).merges);

  options.initial_merges = {{"zz", "q"}};
  EXPECT_FALSE(TrainBpe(counts, options).ok());
}

TEST(BpeTrainerTest, WrittenTokenizerLoadsAndRoundTrips) {
  for (const char* splitter : {"digits-bytelevel", "metaspace", "llama3"}) {
    const TrainedBpe trained = Train(CountText(splitter, kDemoText), 700);
    const std::string path = TempPath(std::string(splitter) + ".json");
    {
      std::ofstream out(path, std::ios::binary);
      out << trained.ToTokenizerJson();
    }
    auto tokenizer = LoadTokenizer(path);
    ASSERT_TRUE(tokenizer.ok()) << splitter << ": " << tokenizer.status();
    // Unseen characters still encode: the byte alphabet, or byte fallback.
    const std::string text = kDemoText + "unseen: \xE2\x82\xAC\xF0\x9F\x98\x80 \xE4\xB8\x87";
    auto encoded = (*tokenizer)->Encode(text);
    ASSERT_TRUE(encoded.ok());
    auto decoded = (*tokenizer)->Decode(encoded->ids);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, text) << splitter;
    EXPECT_EQ((*tokenizer)->Info().vocab_size, trained.vocab.size());
  }
}

}  // namespace
}  // namespace tokgraft
