#include "tokenizer_facts.h"

#include "gtest/gtest.h"
#include "number_handling.h"
#include "stats/stats_test_util.h"
#include "token_table.h"

namespace tokgraft::stats {
namespace {

// Byte-level BPE over a tiny alphabet: "bc" is in the vocabulary but no merge
// makes it, so encoding "bc" gives [b, c]: unreachable. "<0x41>" looks like a
// byte fallback but the model has none, so it is an ordinary token.
constexpr char kTinyTokenizer[] = R"({
  "added_tokens": [{"id": 6, "content": "<eos>", "special": true, "single_word": false, "lstrip": false,
                    "rstrip": false, "normalized": false}],
  "normalizer": null, "pre_tokenizer": null, "post_processor": null, "decoder": null,
  "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "abc": 5, "<eos>": 6},
            "merges": ["a b", "ab c"]}
})";

std::unique_ptr<Tokenizer> LoadTiny() {
  auto tok = LoadTokenizer(testing::WriteTempFile("tiny.json", kTinyTokenizer));
  EXPECT_TRUE(tok.ok()) << tok.status();
  return tok.ok() ? *std::move(tok) : nullptr;
}

TEST(TokenizerFactsTest, FindsTokensThatTheirOwnTextDoesNotEncodeTo) {
  auto tok = LoadTiny();
  ASSERT_NE(tok, nullptr);
  const TokenTable table = BuildTokenTable(*tok);
  absl::StatusOr<TokenizerFacts> facts = ComputeTokenizerFacts(*tok, table, 2);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->vocab_size, 7u);
  EXPECT_EQ(facts->regular_tokens, 6u);
  EXPECT_EQ(facts->special_tokens, 1u);
  EXPECT_EQ(facts->reachability_checked, 6u);  // <eos> is not checked
  EXPECT_EQ(facts->unreachable, 1u);
  ASSERT_EQ(facts->unreachable_examples.size(), 1u);
  EXPECT_EQ(facts->unreachable_examples[0].token, "bc");
  EXPECT_EQ(facts->missing_bytes.size(), 253u);  // only a, b, c
  ASSERT_FALSE(facts->longest_tokens.empty());
  EXPECT_EQ(facts->longest_tokens[0].bytes, "abc");
}

TEST(TokenizerFactsTest, EveryTokenOfTheDemoTokenizerIsReachable) {
  auto tok = testing::LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const TokenTable table = BuildTokenTable(*tok);
  absl::StatusOr<TokenizerFacts> facts = ComputeTokenizerFacts(*tok, table, 2);
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_TRUE(facts->missing_bytes.empty());  // byte-level: all 256 bytes
  EXPECT_GT(facts->reachability_checked, 1500u);
  EXPECT_EQ(facts->unreachable, 0u);
  EXPECT_FALSE(*PrependsSpace(*tok, table));
}

TEST(TokenTableTest, CanonicalBytesOfMetaspaceAndByteLevelTokens) {
  auto metaspace = testing::LoadCommitted("tests/golden/features/metaspace_first_split.json");
  ASSERT_NE(metaspace, nullptr);
  const TokenTable table = BuildTokenTable(*metaspace);
  EXPECT_EQ(table.bytes[*metaspace->TokenToId("\xE2\x96\x81the")], " the");
  EXPECT_TRUE(*PrependsSpace(*metaspace, table));
  EXPECT_EQ(CanonicalTokenBytes("\xE2\x96\x81\xE2\x96\x81x"), "  x");

  auto byte_level = testing::LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(byte_level, nullptr);
  EXPECT_FALSE(UsesMetaspace(*byte_level));
  EXPECT_EQ(BuildTokenTable(*byte_level).bytes[*byte_level->TokenToId("\xC4\xA0the")], " the");
}

TEST(NumberHandlingTest, ClassifiesDigitGroups) {
  EXPECT_EQ(ClassifyDigitGroups({{1, 1, 1, 1}}), "single digits");
  EXPECT_EQ(ClassifyDigitGroups({{3, 3, 1}, {1}, {3, 2}}), "groups of 3 from the left");
  EXPECT_EQ(ClassifyDigitGroups({{1, 3, 3}}), "groups of 3 from the right");
  EXPECT_EQ(ClassifyDigitGroups({{2, 2, 3}}), "groups of 1-3");
  EXPECT_EQ(ClassifyDigitGroups({{4, 3}}), "free");
}

TEST(NumberHandlingTest, IndividualDigitsAreDetectedAndVerified) {
  auto tok = testing::LoadCommitted("tests/golden/features/digits_individual.json");
  ASSERT_NE(tok, nullptr);
  absl::StatusOr<NumberHandling> numbers = AnalyzeNumbers(*tok, BuildTokenTable(*tok));
  ASSERT_TRUE(numbers.ok()) << numbers.status();
  EXPECT_EQ(numbers->observed_grouping, "single digits");
  ASSERT_GE(numbers->probe_pieces.size(), 7u);
  EXPECT_EQ(numbers->probe_pieces[0], "1");
}

TEST(NumberHandlingTest, PublishedTokenizers) {
  auto llama3 = testing::LoadShared("tokenizers/llama3.json");
  auto gemma3 = testing::LoadShared("tokenizers/gemma3.json");
  auto llama2 = testing::LoadShared("tokenizers/llama2.json");
  if (llama3 == nullptr || gemma3 == nullptr || llama2 == nullptr) {
    GTEST_SKIP() << "needs $TOKGRAFT_DATA/tokenizers (llama3, gemma3, llama2)";
  }
  absl::StatusOr<NumberHandling> l = AnalyzeNumbers(*llama3, BuildTokenTable(*llama3));
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->vocabulary_grouping, "groups of 1-3");
  EXPECT_EQ(l->observed_grouping, "groups of 3 from the left");
  EXPECT_EQ(std::vector<std::string>(l->probe_pieces.begin(), l->probe_pieces.begin() + 3),
            std::vector<std::string>({"123", "456", "7"}));
  EXPECT_TRUE(l->consistent);
  absl::StatusOr<NumberHandling> g = AnalyzeNumbers(*gemma3, BuildTokenTable(*gemma3));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->vocabulary_grouping, "single digits");
  EXPECT_EQ(g->observed_grouping, "single digits");
  // llama2 prepends "▁", whose offsets cover the first digit: not a digit piece.
  absl::StatusOr<NumberHandling> l2 = AnalyzeNumbers(*llama2, BuildTokenTable(*llama2));
  ASSERT_TRUE(l2.ok());
  EXPECT_EQ(std::vector<std::string>(l2->probe_pieces.begin(), l2->probe_pieces.begin() + 3),
            std::vector<std::string>({"1", "2", "3"}));
  EXPECT_EQ(l2->observed_grouping, "single digits");
}

}  // namespace
}  // namespace tokgraft::stats
