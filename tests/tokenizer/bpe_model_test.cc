#include "models/bpe_model.h"

#include <random>

#include "gtest/gtest.h"

namespace tokgraft {
namespace {

using Merges = std::vector<std::pair<std::string, std::string>>;

std::unique_ptr<BpeModel> Make(const std::vector<std::string>& tokens, const Merges& merges,
                               BpeOptions options = {}) {
  absl::flat_hash_map<std::string, uint32_t> vocab;
  for (const std::string& t : tokens) vocab.emplace(t, static_cast<uint32_t>(vocab.size()));
  auto model = BpeModel::Create(std::move(options), std::move(vocab), merges);
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? *std::move(model) : nullptr;
}

std::vector<uint32_t> Ids(const BpeModel& model, std::string_view piece,
                          std::vector<ByteSpan>* spans = nullptr) {
  std::vector<uint32_t> ids;
  model.Encode(piece, &ids, spans);
  return ids;
}

// Textbook BPE on single-byte symbols: apply the lowest-rank merge at its
// leftmost occurrence until none applies. Independent of BpeModel's code.
std::vector<std::string> NaiveBpe(std::string_view text, const Merges& merges) {
  std::vector<std::string> symbols;
  for (char c : text) symbols.emplace_back(1, c);
  while (true) {
    size_t best_rank = merges.size(), best_pos = 0;
    for (size_t i = 0; i + 1 < symbols.size(); ++i) {
      for (size_t r = 0; r < best_rank; ++r) {
        if (merges[r].first == symbols[i] && merges[r].second == symbols[i + 1]) {
          best_rank = r;
          best_pos = i;
          break;
        }
      }
    }
    if (best_rank == merges.size()) return symbols;
    symbols[best_pos] += symbols[best_pos + 1];
    symbols.erase(symbols.begin() + best_pos + 1);
  }
}

// The ids of NaiveBpe's tokens.
std::vector<uint32_t> NaiveIds(std::string_view text, const Merges& merges, const std::vector<std::string>& tokens) {
  std::vector<uint32_t> ids;
  for (const std::string& s : NaiveBpe(text, merges)) {
    ids.push_back(static_cast<uint32_t>(std::find(tokens.begin(), tokens.end(), s) - tokens.begin()));
  }
  return ids;
}

// `length` letters of `alphabet` drawn at random.
std::string RandomLetters(std::mt19937& rng, const std::string& alphabet, size_t length) {
  std::string text;
  std::uniform_int_distribution<size_t> letter(0, alphabet.size() - 1);
  for (size_t i = 0; i < length; ++i) text.push_back(alphabet[letter(rng)]);
  return text;
}

// The letters of `alphabet`, then up to `attempts` merges of two random
// tokens into a new one, each ranked after the rules that make its parts.
Merges RandomMerges(std::mt19937& rng, const std::string& alphabet, int attempts,
                    std::vector<std::string>* tokens) {
  tokens->clear();
  for (char c : alphabet) tokens->emplace_back(1, c);
  Merges merges;
  for (int m = 0; m < attempts; ++m) {
    std::uniform_int_distribution<size_t> pick(0, tokens->size() - 1);
    std::string l = (*tokens)[pick(rng)], r = (*tokens)[pick(rng)];
    if (std::find(tokens->begin(), tokens->end(), l + r) != tokens->end()) continue;
    merges.emplace_back(l, r);
    tokens->push_back(l + r);
  }
  return merges;
}

TEST(BpeModelTest, AppliesLowestRankFirst) {
  auto model = Make({"a", "b", "c", "ab", "bc", "abc"}, {{"b", "c"}, {"a", "b"}, {"a", "bc"}});
  EXPECT_EQ(Ids(*model, "abc"), (std::vector<uint32_t>{5}));  // b+c, then a+bc
  auto other = Make({"a", "b", "c", "ab", "bc", "abc"}, {{"a", "b"}, {"b", "c"}, {"ab", "c"}});
  EXPECT_EQ(Ids(*other, "abc"), (std::vector<uint32_t>{5}));   // a+b, then ab+c
  EXPECT_EQ(Ids(*other, "bca"), (std::vector<uint32_t>{4, 0}));
}

TEST(BpeModelTest, LeftmostWinsTies) {
  auto model = Make({"a", "aa"}, {{"a", "a"}});
  EXPECT_EQ(Ids(*model, "aaa"), (std::vector<uint32_t>{1, 0}));
}

TEST(BpeModelTest, ReportsSpansInsideThePiece) {
  auto model = Make({"a", "b", "ab"}, {{"a", "b"}});
  std::vector<ByteSpan> spans;
  EXPECT_EQ(Ids(*model, "abb", &spans), (std::vector<uint32_t>{2, 1}));
  EXPECT_EQ(spans, (std::vector<ByteSpan>{{0, 2}, {2, 3}}));
}

TEST(BpeModelTest, RejectsMergesOutsideTheVocabulary) {
  absl::flat_hash_map<std::string, uint32_t> vocab = {{"a", 0}, {"b", 1}};
  auto model = BpeModel::Create({}, vocab, {{"a", "b"}});
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("\"ab\""), std::string_view::npos) << model.status();
  auto unknown_part = BpeModel::Create({}, vocab, {{"a", "x"}});
  ASSERT_FALSE(unknown_part.ok());
  EXPECT_NE(unknown_part.status().message().find("\"x\""), std::string_view::npos);
}

TEST(BpeModelTest, IgnoreMergesEmitsWholeTokens) {
  // "abc" is a token but no merge sequence reaches it.
  BpeOptions options;
  options.ignore_merges = true;
  auto model = Make({"a", "b", "c", "abc"}, {}, options);
  EXPECT_EQ(Ids(*model, "abc"), (std::vector<uint32_t>{3}));
  auto plain = Make({"a", "b", "c", "abc"}, {});
  EXPECT_EQ(Ids(*plain, "abc"), (std::vector<uint32_t>{0, 1, 2}));
}

TEST(BpeModelTest, ByteFallbackAndFusedUnknowns) {
  std::vector<std::string> tokens = {"<unk>", "a"};
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    tokens.push_back(name);
  }
  BpeOptions fallback;
  fallback.byte_fallback = true;
  fallback.unk_token = "<unk>";
  auto model = Make(tokens, {}, fallback);
  // "é" is C3 A9: two byte tokens, ids 2 + byte value.
  EXPECT_EQ(Ids(*model, "a\xC3\xA9"), (std::vector<uint32_t>{1, 2 + 0xC3, 2 + 0xA9}));

  BpeOptions fuse;
  fuse.fuse_unk = true;
  fuse.unk_token = "<unk>";
  auto fused = Make({"<unk>", "a"}, {}, fuse);
  std::vector<ByteSpan> spans;
  EXPECT_EQ(Ids(*fused, "xya", &spans), (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(spans, (std::vector<ByteSpan>{{0, 2}, {2, 3}}));
}

// Found by fuzz_encode: a byte without its <0xNN> token must fall to unk, not
// to a token id of 2^32 - 1.
TEST(BpeModelTest, ByteFallbackWithMissingByteTokensFallsToUnk) {
  BpeOptions options;
  options.byte_fallback = true;
  options.fuse_unk = true;
  options.unk_token = "<unk>";
  auto model = Make({"<unk>", "a", "<0x00>"}, {}, options);
  EXPECT_EQ(Ids(*model, "a--"), (std::vector<uint32_t>{1, 0}));
  EXPECT_EQ(Ids(*model, std::string("\0", 1)), (std::vector<uint32_t>{2}));
}

TEST(BpeModelTest, UnknownUnkTokenIsAnError) {
  BpeOptions options;
  options.unk_token = "<unk>";
  auto model = BpeModel::Create(options, {{"a", 0}}, {});
  EXPECT_FALSE(model.ok());
}

// Random merge tables over a small alphabet; pieces long enough to take the
// heap path and the uncached path, compared with the textbook algorithm.
TEST(BpeModelTest, MatchesNaiveBpeOnRandomPieces) {
  std::mt19937 rng(7);
  const std::string alphabet = "abcd";
  for (int trial = 0; trial < 30; ++trial) {
    std::vector<std::string> tokens;
    const Merges merges = RandomMerges(rng, alphabet, 40, &tokens);
    auto model = Make(tokens, merges);
    for (size_t length : {1, 5, 30, 47, 48, 49, 120, 300, 1000}) {
      const std::string text = RandomLetters(rng, alphabet, length);
      const std::vector<uint32_t> expected = NaiveIds(text, merges, tokens);
      EXPECT_EQ(Ids(*model, text), expected) << "trial " << trial << " text " << text;
      EXPECT_EQ(Ids(*model, text), expected) << "second (cached) encode of " << text;
    }
  }
}

// Merge lists a file may hold but training never makes: rules ranked before
// the rules that create their parts, and tokens made by several rules. A
// merge can then make a pair that ranks before its own, which must cut the
// sweep over its rank short; the result must still be the textbook one.
TEST(BpeModelTest, MatchesNaiveBpeWhenRulesPrecedeTheirParts) {
  std::mt19937 rng(11);
  const std::string alphabet = "abc";
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<std::string> tokens;
    Merges merges = RandomMerges(rng, alphabet, 30, &tokens);
    // Every other split of a token into two tokens is a rule too.
    const size_t made = merges.size();
    for (size_t m = 0; m < made; ++m) {
      const std::string whole = merges[m].first + merges[m].second;
      for (size_t cut = 1; cut < whole.size(); ++cut) {
        const std::pair<std::string, std::string> split{whole.substr(0, cut), whole.substr(cut)};
        if (std::find(tokens.begin(), tokens.end(), split.first) != tokens.end() &&
            std::find(tokens.begin(), tokens.end(), split.second) != tokens.end() &&
            std::find(merges.begin(), merges.end(), split) == merges.end()) {
          merges.push_back(split);
        }
      }
    }
    std::shuffle(merges.begin(), merges.end(), rng);
    auto model = Make(tokens, merges);
    for (size_t length : {49, 300, 2000}) {
      const std::string text = RandomLetters(rng, alphabet, length);
      EXPECT_EQ(Ids(*model, text), NaiveIds(text, merges, tokens)) << "trial " << trial << " text " << text;
    }
  }
}

// Byte-level models start a multi-byte character as its token when no merge
// across its edge can fire first (WholeCharacters). Here the merge of the
// last byte of 中 with the first byte of the next 中 comes before 中 is whole,
// so 中中 must stay in parts, while 中 next to an ASCII letter is one token.
TEST(BpeModelTest, WholeCharactersKeepCrossingMergesThatComeFirst) {
  std::vector<std::string> tokens;
  for (int b = 0; b < 256; ++b) tokens.emplace_back(1, static_cast<char>(b));
  const std::string zhong = "\xE4\xB8\xAD";  // 中
  Merges merges = {{"\xAD", "\xE4"}, {"\xE4", "\xB8"}, {"\xE4\xB8", "\xAD"}};
  for (const auto& [l, r] : merges) tokens.push_back(l + r);
  BpeOptions options;
  options.byte_level = true;
  auto model = Make(tokens, merges, options);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->num_whole_characters(), 1u);
  const uint32_t ad_e4 = 256, e4_b8 = 257, whole = 258;
  EXPECT_EQ(Ids(*model, zhong + zhong), (std::vector<uint32_t>{e4_b8, ad_e4, 0xB8, 0xAD}));
  EXPECT_EQ(Ids(*model, "a" + zhong + "a"), (std::vector<uint32_t>{'a', whole, 'a'}));
}

// Random byte-level merge tables over the bytes of a few multi-byte
// characters, so that some characters are whole tokens and merges cross
// their edges at every rank; the result must be the textbook algorithm's.
TEST(BpeModelTest, WholeCharactersMatchNaiveBpe) {
  const std::vector<std::string> alphabet = {"\xE4\xB8\xAD", "\xE6\x96\x87", "\xE4\xB8\x80",
                                             "\xC3\xA9", "\xD0\xB6", "a", " "};
  std::mt19937 rng(11);
  size_t whole_seen = 0;
  for (int trial = 0; trial < 60; ++trial) {
    auto random_text = [&](size_t chars) {
      std::string text;
      std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
      for (size_t i = 0; i < chars; ++i) text += alphabet[pick(rng)];
      return text;
    };
    // Merges of adjacent symbols of sample texts, in random order: tokens
    // inside characters, whole characters and tokens across their edges.
    std::vector<std::string> tokens;
    for (int b = 0; b < 256; ++b) tokens.emplace_back(1, static_cast<char>(b));
    Merges merges;
    const std::string sample = random_text(40);
    for (int m = 0; m < 30; ++m) {
      std::vector<std::string> symbols = {};
      for (const std::string& s : NaiveBpe(sample, merges)) symbols.push_back(s);
      if (symbols.size() < 2) break;
      std::uniform_int_distribution<size_t> at(0, symbols.size() - 2);
      const size_t i = at(rng);
      const std::string merged = symbols[i] + symbols[i + 1];
      if (std::find(tokens.begin(), tokens.end(), merged) != tokens.end()) continue;
      merges.emplace_back(symbols[i], symbols[i + 1]);
      tokens.push_back(merged);
    }
    BpeOptions options;
    options.byte_level = true;
    auto model = Make(tokens, merges, options);
    ASSERT_NE(model, nullptr);
    whole_seen += model->num_whole_characters();
    for (size_t chars : {1, 2, 3, 10, 16, 40, 100}) {
      const std::string text = random_text(chars);
      EXPECT_EQ(Ids(*model, text), NaiveIds(text, merges, tokens)) << "trial " << trial << " chars " << chars;
    }
  }
  EXPECT_GT(whole_seen, 30u);  // the whole-character path was taken
}

// Long character-level pieces are cut where no token spans; the result must
// be the same as merging the whole piece.
TEST(BpeModelTest, CuttingLongPiecesDoesNotChangeTheResult) {
  std::vector<std::string> tokens = {"a", "b", " ", "ab", "ba", "aba", " a"};
  Merges merges = {{"a", "b"}, {"b", "a"}, {"ab", "a"}, {" ", "a"}};
  auto model = Make(tokens, merges);
  std::mt19937 rng(3);
  const std::string alphabet = "ab ";
  for (int trial = 0; trial < 20; ++trial) {
    const std::string text = RandomLetters(rng, alphabet, 2000);
    const std::vector<uint32_t> expected = NaiveIds(text, merges, tokens);
    std::vector<ByteSpan> spans;
    EXPECT_EQ(Ids(*model, text, &spans), expected);
    ASSERT_EQ(spans.size(), expected.size());
    uint32_t at = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
      EXPECT_EQ(spans[i].begin, at);
      at = spans[i].end;
      EXPECT_EQ(spans[i].end - spans[i].begin, tokens[expected[i]].size());
    }
  }
}

TEST(BpeModelTest, RanksModeMergesAnyTwoTokensWhoseConcatenationIsAToken) {
  absl::flat_hash_map<std::string, uint32_t> ranks;
  for (int b = 0; b < 256; ++b) ranks.emplace(std::string(1, static_cast<char>(b)), b);
  ranks.emplace("ab", 300);
  ranks.emplace("bc", 256);
  ranks.emplace("abc", 301);
  BpeOptions options;
  options.byte_level = true;
  auto model = BpeModel::CreateFromRanks(options, std::move(ranks));
  ASSERT_TRUE(model.ok()) << model.status();
  // bc (256) merges before ab (300); then a + bc makes abc.
  EXPECT_EQ(Ids(**model, "abc"), (std::vector<uint32_t>{301}));
  EXPECT_EQ(Ids(**model, "abd"), (std::vector<uint32_t>{300, 'd'}));
}

}  // namespace
}  // namespace tokgraft
