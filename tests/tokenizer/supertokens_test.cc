// Supertoken training: tokens span words within the limits, SuperBPE's
// first stage is ordinary BPE, TokenAdapt-style chunks are deterministic.
#include <fstream>

#include "byte_level_alphabet.h"
#include "gtest/gtest.h"
#include "tokgraft/tokenizer.h"
#include "tokgraft/trainer.h"
#include "training/token_constraints.h"

namespace tokgraft {
namespace {

std::string TempPath(const std::string& name) {
  return std::string(TOKGRAFT_BINARY_DIR) + "/supertokens_test_" + name;
}

// Text where multi-word phrases repeat, so that supertokens pay off.
std::string CorpusFile() {
  const std::string path = TempPath("corpus.txt");
  std::ofstream out(path, std::ios::binary);
  const char* lines[] = {
      "The United States of America is a country in North America.\n",
      "In the United States of America, the capital is Washington: a city.\n",
      "Note: the results of the experiment are shown in Table 12345.\n",
      "It is one of the most important results of the year 2024.\n",
  };
  for (int i = 0; i < 200; ++i) out << lines[i % 4];
  return path;
}

std::string Bytes(const std::string& token) {
  std::string bytes;
  EXPECT_TRUE(byte_level::MappedToBytes(token, &bytes)) << token;
  return bytes;
}

size_t Words(const std::string& bytes) {
  size_t words = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != ' ' && bytes[i] != '\n' && (i == 0 || bytes[i - 1] == ' ' || bytes[i - 1] == '\n')) ++words;
  }
  return words;
}

void ExpectSupertokensWithinLimits(const TrainedBpe& trained, size_t max_words) {
  size_t multi_word = 0;
  for (const std::string& token : trained.vocab) {
    const std::string bytes = Bytes(token);
    EXPECT_LE(Words(bytes), max_words) << bytes;
    EXPECT_EQ(bytes.find(": "), std::string::npos) << bytes;
    if (Words(bytes) >= 2) ++multi_word;
  }
  EXPECT_GT(multi_word, 5u);
}

void ExpectLoadsAndRoundTrips(const TrainedBpe& trained, const std::string& name) {
  const std::string path = TempPath(name + ".json");
  {
    std::ofstream out(path, std::ios::binary);
    out << trained.ToTokenizerJson();
  }
  auto tokenizer = LoadTokenizer(path);
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  const std::string text = "In the United States of America: 1234567 results.\n";
  auto encoded = (*tokenizer)->Encode(text);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(*(*tokenizer)->Decode(encoded->ids), text);
}

TEST(TokenConstraintsTest, WordsAndColonSpace) {
  BpeTrainerOptions options;
  options.max_words_per_token = 2;
  options.forbid_colon_space = true;
  const std::vector<std::string> tokens = {byte_level::BytesToMapped(" the"), byte_level::BytesToMapped(" cat"),
                                           byte_level::BytesToMapped("s"),    byte_level::BytesToMapped(":"),
                                           byte_level::BytesToMapped(" sat"), byte_level::BytesToMapped(" ")};
  const std::vector<uint32_t> units = {4, 4, 1, 1, 4, 1};
  TokenConstraints constraints(options, true, tokens, units);
  EXPECT_TRUE(constraints.Allows(0, 1));   // " the cat": 2 words
  EXPECT_TRUE(constraints.Allows(1, 2));   // " cats": the word continues
  EXPECT_FALSE(constraints.Allows(3, 5));  // ": "
  EXPECT_TRUE(constraints.Allows(5, 3));   // " :"
  EXPECT_FALSE(constraints.Allows(3, 4));  // ": sat"
}

TEST(SupertokensTest, SuperBpeSpansWordsWithinLimits) {
  const std::string corpus = CorpusFile();
  BpeTrainerOptions options;
  options.vocab_size = 400;
  SupertokenOptions supertokens;
  supertokens.transition = 330;
  supertokens.max_words_per_token = 3;
  auto trained = TrainSupertokens({corpus}, "digits-bytelevel", 2, options, supertokens);
  ASSERT_TRUE(trained.ok()) << trained.status();
  // Stage 2 may run out of allowed pairs on this small text before 400.
  EXPECT_GT(trained->vocab.size(), 360u);
  ExpectSupertokensWithinLimits(*trained, 3);
  ExpectLoadsAndRoundTrips(*trained, "superbpe");

  // Stage 1 is ordinary BPE up to the transition.
  auto splitter = MakeWordSplitter("digits-bytelevel");
  auto counts = CountFiles(*splitter, {corpus}, 1);
  ASSERT_TRUE(counts.ok());
  BpeTrainerOptions stage1 = options;
  stage1.vocab_size = 330;
  auto plain = TrainBpe(*counts, stage1);
  ASSERT_TRUE(plain.ok());
  ASSERT_GE(trained->merges.size(), plain->merges.size());
  EXPECT_TRUE(std::equal(plain->merges.begin(), plain->merges.end(), trained->merges.begin()));
  // Numbers keep stage 1's grouping: no token mixes digits with other text.
  for (const std::string& token : trained->vocab) {
    const std::string bytes = Bytes(token);
    const bool digits = bytes.find_first_of("0123456789") != std::string::npos;
    if (digits) {
      EXPECT_EQ(bytes.find_first_not_of("0123456789"), std::string::npos) << bytes;
    }
  }
}

TEST(SupertokensTest, TokenAdaptChunksAreDeterministicAcrossThreads) {
  const std::string corpus = CorpusFile();
  BpeTrainerOptions options;
  options.vocab_size = 400;
  SupertokenOptions supertokens;
  supertokens.method = SupertokenOptions::Method::kTokenAdapt;
  supertokens.seed = 7;
  auto one = TrainSupertokens({corpus}, "llama3", 1, options, supertokens);
  auto two = TrainSupertokens({corpus}, "llama3", 2, options, supertokens);
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(one->merges, two->merges);
  ExpectSupertokensWithinLimits(*one, 4);
  ExpectLoadsAndRoundTrips(*one, "tokenadapt");
  supertokens.seed = 8;
  auto other = TrainSupertokens({corpus}, "llama3", 1, options, supertokens);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(one->merges, other->merges);
}

TEST(SupertokensTest, BadSettingsAreErrors) {
  const std::string corpus = CorpusFile();
  BpeTrainerOptions options;
  options.vocab_size = 400;
  SupertokenOptions supertokens;
  EXPECT_FALSE(TrainSupertokens({corpus}, "metaspace", 1, options, supertokens).ok());
  supertokens.transition = 500;
  EXPECT_FALSE(TrainSupertokens({corpus}, "gpt2", 1, options, supertokens).ok());
  supertokens.method = SupertokenOptions::Method::kTokenAdapt;
  supertokens.chunk_weights = {};
  EXPECT_FALSE(TrainSupertokens({corpus}, "gpt2", 1, options, supertokens).ok());
}

}  // namespace
}  // namespace tokgraft
