// StochasTok on the committed demo tokenizer (and llama3 when the shared data
// is present): valid split table, exact round trips, expected growth, seeds.
#include "tokgraft/stochastok.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tokenizer/test_tokenizers.h"

namespace tokgraft {
namespace {

using testing::LoadCommitted;
using testing::LoadShared;
using testing::ReadCommitted;

// Ten copies of data/demo.txt: a few thousand tokens in several scripts.
std::string LongText() {
  const std::string demo = ReadCommitted("data/demo.txt");
  std::string text;
  for (int i = 0; i < 10; ++i) text += demo;
  return text;
}

std::vector<uint32_t> EncodeIds(const Tokenizer& tok, std::string_view text) {
  auto enc = tok.Encode(text);
  EXPECT_TRUE(enc.ok()) << enc.status();
  return enc.ok() ? enc->ids : std::vector<uint32_t>{};
}

std::vector<uint32_t> Expand(const StochasTok& st, const std::vector<uint32_t>& ids, double p, uint64_t seed) {
  StochasTokOptions options;
  options.probability = p;
  options.seed = seed;
  auto out = st.Expand(ids, options);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : std::vector<uint32_t>{};
}

// The definition, on a plain vector: the same draws as StochasTok::Expand.
std::vector<uint32_t> NaiveExpand(const StochasTok& st, std::vector<uint32_t> ids, double p, uint64_t seed) {
  const size_t attempts = static_cast<size_t>(p * static_cast<double>(ids.size()));
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < attempts; ++i) {
    const size_t pos = rng() % ids.size();
    auto splits = st.Splits(ids[pos]);
    if (splits.empty()) continue;
    const auto split = splits[rng() % splits.size()];
    ids[pos] = split.first;
    ids.insert(ids.begin() + static_cast<std::ptrdiff_t>(pos) + 1, split.second);
  }
  return ids;
}

TEST(StochasTokTest, SplitsJoinToTheTokenAndLeaveAddedTokensAlone) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const StochasTok st = StochasTok::Create(*tok);
  size_t with_splits = 0;
  for (uint32_t id = 0; id < tok->Info().vocab_size; ++id) {
    for (const auto& [a, b] : st.Splits(id)) {
      EXPECT_EQ(*tok->IdToBytes(a) + *tok->IdToBytes(b), *tok->IdToBytes(id)) << id;
      EXPECT_NE(a, 0u);  // <|endoftext|>
      EXPECT_NE(b, 0u);
    }
    with_splits += !st.Splits(id).empty();
  }
  EXPECT_GT(with_splits, 100u);
  EXPECT_TRUE(st.Splits(0).empty());
  EXPECT_TRUE(st.Splits(1u << 30).empty());
  // The demo vocabulary has " t", "he", " th" and "e" but not "the".
  std::set<std::pair<std::string, std::string>> splits;
  for (const auto& [a, b] : st.Splits(*tok->TokenToId("Ġthe"))) splits.emplace(*tok->IdToBytes(a), *tok->IdToBytes(b));
  EXPECT_EQ(splits, (std::set<std::pair<std::string, std::string>>{{" t", "he"}, {" th", "e"}}));
}

TEST(StochasTokTest, MatchesTheDefinitionOnAPlainVector) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const StochasTok st = StochasTok::Create(*tok);
  const std::vector<uint32_t> ids = EncodeIds(*tok, LongText());
  for (double p : {0.05, 0.5, 1.0}) {
    for (uint64_t seed : {0u, 1u, 99u}) {
      EXPECT_EQ(Expand(st, ids, p, seed), NaiveExpand(st, ids, p, seed)) << p << " " << seed;
    }
  }
}

TEST(StochasTokTest, DecodesToTheInputAndGrowsAsExpected) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const StochasTok st = StochasTok::Create(*tok);
  const std::string text = LongText();
  const std::vector<uint32_t> ids = EncodeIds(*tok, text);
  size_t splittable = 0;
  for (uint32_t id : ids) splittable += !st.Splits(id).empty();
  const double attempts = std::floor(0.1 * static_cast<double>(ids.size()));
  // Each attempt succeeds when it lands on a splittable token; the share of
  // those falls a little as the sequence grows, so the growth sits just below
  // attempts * (share in the original).
  const double expected = attempts * static_cast<double>(splittable) / static_cast<double>(ids.size());
  double total_growth = 0;
  constexpr int kSeeds = 20;
  for (uint64_t seed = 0; seed < kSeeds; ++seed) {
    const std::vector<uint32_t> expanded = Expand(st, ids, 0.1, seed);
    EXPECT_EQ(*tok->Decode(expanded), text) << seed;
    EXPECT_LE(expanded.size() - ids.size(), attempts);
    total_growth += static_cast<double>(expanded.size() - ids.size());
  }
  const double mean_growth = total_growth / kSeeds;
  EXPECT_GT(mean_growth, 0.85 * expected);
  EXPECT_LE(mean_growth, expected);
}

TEST(StochasTokTest, SameSeedSameIdsOtherSeedOtherIds) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const StochasTok st = StochasTok::Create(*tok);
  const std::vector<uint32_t> ids = EncodeIds(*tok, LongText());
  EXPECT_EQ(Expand(st, ids, 0.1, 7), Expand(st, ids, 0.1, 7));
  EXPECT_NE(Expand(st, ids, 0.1, 7), Expand(st, ids, 0.1, 8));
  EXPECT_EQ(Expand(st, ids, 0.0, 7), ids);
}

TEST(StochasTokTest, MaxExpansionsCapsTheAttempts) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const StochasTok st = StochasTok::Create(*tok);
  const std::vector<uint32_t> ids = EncodeIds(*tok, LongText());
  StochasTokOptions options;
  options.probability = 1;
  options.max_expansions = 50;
  auto capped = st.Expand(ids, options);
  ASSERT_TRUE(capped.ok());
  EXPECT_LE(capped->size(), ids.size() + 50);
  EXPECT_GT(capped->size(), ids.size());
}

TEST(StochasTokTest, SpecialTokensStayWhole) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const StochasTok st = StochasTok::Create(*tok);
  const std::string text = "one<|endoftext|>two<|endoftext|>three";
  const std::vector<uint32_t> expanded = Expand(st, EncodeIds(*tok, text), 1.0, 3);
  EXPECT_EQ(std::count(expanded.begin(), expanded.end(), 0u), 2);
  EXPECT_EQ(*tok->Decode(expanded), text);
}

TEST(StochasTokTest, RejectsProbabilitiesOutsideZeroToOne) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const StochasTok st = StochasTok::Create(*tok);
  for (double p : {-0.1, 1.5, std::nan("")}) {
    StochasTokOptions options;
    options.probability = p;
    EXPECT_FALSE(st.Expand(std::vector<uint32_t>{1, 2}, options).ok()) << p;
  }
}

TEST(StochasTokTest, Llama3RoundTripsOnSharedData) {
  auto tok = LoadShared("tokenizers/llama3.json");
  if (tok == nullptr) GTEST_SKIP() << "tokenizers/llama3.json is not in $TOKGRAFT_DATA";
  const StochasTok st = StochasTok::Create(*tok);
  const std::string text = LongText();
  const std::vector<uint32_t> ids = EncodeIds(*tok, text);
  for (uint64_t seed = 0; seed < 5; ++seed) {
    const std::vector<uint32_t> expanded = Expand(st, ids, 0.5, seed);
    EXPECT_GT(expanded.size(), ids.size());
    EXPECT_EQ(*tok->Decode(expanded), text);
  }
}

TEST(StochasTokTest, MetaspaceByteFallbackRoundTripsOnSharedData) {
  auto tok = LoadShared("tokenizers/llama2.json");
  if (tok == nullptr) GTEST_SKIP() << "tokenizers/llama2.json is not in $TOKGRAFT_DATA";
  const StochasTok st = StochasTok::Create(*tok);
  const std::string text = LongText();
  const std::vector<uint32_t> ids = EncodeIds(*tok, text);
  for (uint64_t seed = 0; seed < 5; ++seed) {
    const std::vector<uint32_t> expanded = Expand(st, ids, 1.0, seed);
    EXPECT_GT(expanded.size(), ids.size());
    EXPECT_EQ(*tok->Decode(expanded), text);
  }
}

}  // namespace
}  // namespace tokgraft
