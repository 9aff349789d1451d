// BPE-dropout through the public API: p = 0 is normal encoding, p = 1 leaves
// single bytes (characters), every draw decodes to the input, seeds decide.
#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tokenizer/test_tokenizers.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {
namespace {

using testing::LoadCommitted;
using testing::LoadShared;
using testing::ReadCommitted;

std::vector<uint32_t> EncodeWithDropout(const Tokenizer& tok, std::string_view text, double p, uint64_t seed) {
  EncodeOptions options;
  options.dropout = p;
  options.dropout_seed = seed;
  auto enc = tok.Encode(text, options);
  EXPECT_TRUE(enc.ok()) << enc.status();
  return enc.ok() ? enc->ids : std::vector<uint32_t>{};
}

std::vector<uint32_t> EncodePlain(const Tokenizer& tok, std::string_view text) {
  auto enc = tok.Encode(text);
  EXPECT_TRUE(enc.ok()) << enc.status();
  return enc.ok() ? enc->ids : std::vector<uint32_t>{};
}

// Checks the properties on one tokenizer; `unit` tells whether an id stands
// for a single symbol (byte or character) of the model.
template <typename IsUnit>
void CheckDropout(const Tokenizer& tok, const std::string& text, IsUnit is_unit) {
  const std::vector<uint32_t> plain = EncodePlain(tok, text);
  EXPECT_EQ(EncodeWithDropout(tok, text, 0.0, 5), plain);
  const std::vector<uint32_t> all_dropped = EncodeWithDropout(tok, text, 1.0, 5);
  for (uint32_t id : all_dropped) EXPECT_TRUE(is_unit(id)) << id << " " << *tok.IdToToken(id);
  EXPECT_EQ(*tok.Decode(all_dropped), text);
  size_t previous_length = plain.size();
  for (double p : {0.1, 0.5}) {
    size_t total = 0;
    for (uint64_t seed = 0; seed < 10; ++seed) {
      const std::vector<uint32_t> ids = EncodeWithDropout(tok, text, p, seed);
      EXPECT_EQ(*tok.Decode(ids), text) << p << " " << seed;
      total += ids.size();
    }
    // Longer on average as p grows, shorter than all single symbols.
    EXPECT_GT(total / 10, previous_length) << p;
    EXPECT_LT(total / 10, all_dropped.size()) << p;
    previous_length = total / 10;
  }
  EXPECT_EQ(EncodeWithDropout(tok, text, 0.3, 11), EncodeWithDropout(tok, text, 0.3, 11));
  EXPECT_NE(EncodeWithDropout(tok, text, 0.3, 11), EncodeWithDropout(tok, text, 0.3, 12));
}

TEST(BpeDropoutTest, ByteLevelDemoTokenizer) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  CheckDropout(*tok, ReadCommitted("data/demo.txt"), [&](uint32_t id) { return tok->IdToBytes(id)->size() == 1; });
}

TEST(BpeDropoutTest, CharacterLevelMetaspaceTokenizer) {
  auto tok = LoadCommitted("tests/golden/features/metaspace_first_split.json");
  ASSERT_NE(tok, nullptr);
  CheckDropout(*tok, "the cat sat on the mat, then the hat", [&](uint32_t id) {
    const std::string token = *tok->IdToToken(id);
    return token.size() == 1 || token == "\xE2\x96\x81";  // one character
  });
}

TEST(BpeDropoutTest, IgnoreMergesIsBypassedOnSharedData) {
  auto tok = LoadShared("tokenizers/llama3.json");
  if (tok == nullptr) GTEST_SKIP() << "tokenizers/llama3.json is not in $TOKGRAFT_DATA";
  // llama3 sets ignore_merges: " hello" is one token without dropout.
  ASSERT_EQ(EncodePlain(*tok, " hello").size(), 1u);
  CheckDropout(*tok, ReadCommitted("data/demo.txt"), [&](uint32_t id) { return tok->IdToBytes(id)->size() == 1; });
}

TEST(BpeDropoutTest, BatchTextsUseConsecutiveSeedsOnAnyNumberOfThreads) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const std::string text = ReadCommitted("data/demo.txt");
  EncodeOptions options;
  options.dropout = 0.3;
  options.dropout_seed = 40;
  for (int threads : {1, 2}) {
    auto batch = tok->EncodeBatch({text, text, text}, options, threads);
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (uint64_t i = 0; i < 3; ++i) EXPECT_EQ((*batch)[i].ids, EncodeWithDropout(*tok, text, 0.3, 40 + i));
  }
}

TEST(BpeDropoutTest, SentencepieceModelFilesRefuseItOnSharedData) {
  auto tok = LoadShared("spm/llama2.model");
  if (tok == nullptr) GTEST_SKIP() << "spm/llama2.model is not in $TOKGRAFT_DATA";
  EncodeOptions options;
  options.dropout = 0.1;
  auto enc = tok->Encode("text", options);
  ASSERT_FALSE(enc.ok());
  EXPECT_NE(enc.status().message().find("not supported for sentencepiece"), std::string::npos);
}

TEST(BpeDropoutTest, RejectsProbabilitiesOutsideZeroToOne) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  for (double p : {-0.5, 1.01, std::nan("")}) {
    EncodeOptions options;
    options.dropout = p;
    EXPECT_FALSE(tok->Encode("text", options).ok()) << p;
  }
}

}  // namespace
}  // namespace tokgraft
