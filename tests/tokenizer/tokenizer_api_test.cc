// The public Tokenizer API on the tokenizers committed with the repository:
// lookups, batch encoding, special-token handling and decoding round trips.
#include "tokgraft/tokenizer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace tokgraft {
namespace {

std::unique_ptr<Tokenizer> Load(const std::string& relative) {
  auto tok = LoadTokenizer(std::string(TOKGRAFT_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(tok.ok()) << tok.status();
  return tok.ok() ? *std::move(tok) : nullptr;
}

TEST(TokenizerApiTest, LooksUpTokensAndTheirBytes) {
  auto tok = Load("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->TokenToId("Ġthe"), 281u);
  EXPECT_EQ(tok->IdToToken(281), "Ġthe");
  EXPECT_EQ(tok->IdToBytes(281), " the");          // GPT-2 alphabet decoded
  EXPECT_EQ(tok->IdToBytes(199), "\n");            // "Ċ"
  EXPECT_EQ(tok->TokenToId("<|endoftext|>"), 0u);  // added tokens too
  EXPECT_EQ(tok->IdToBytes(0), "<|endoftext|>");
  EXPECT_FALSE(tok->TokenToId("not a token"));
  EXPECT_FALSE(tok->IdToToken(1u << 30));
}

TEST(TokenizerApiTest, MetaspaceTokensStandForSpaces) {
  auto tok = Load("tests/golden/features/metaspace_first_split.json");
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->IdToToken(100), "\xE2\x96\x81the");
  EXPECT_EQ(tok->IdToBytes(100), " the");
}

TEST(TokenizerApiTest, SpecialTokenTextIsMatchedUnlessAskedNotTo) {
  auto tok = Load("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  auto matched = tok->Encode("a<|endoftext|>b");
  ASSERT_TRUE(matched.ok());
  EXPECT_NE(std::find(matched->ids.begin(), matched->ids.end(), 0u), matched->ids.end());
  EncodeOptions plain;
  plain.split_special_tokens = true;
  auto split = tok->Encode("a<|endoftext|>b", plain);
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(std::find(split->ids.begin(), split->ids.end(), 0u), split->ids.end());
  EXPECT_EQ(*tok->Decode(split->ids), "a<|endoftext|>b");
  EXPECT_EQ(*tok->Decode(matched->ids, /*skip_special_tokens=*/true), "ab");
}

TEST(TokenizerApiTest, PreTokenIdsNumberPiecesAndLeaveTemplateTokensOut) {
  auto tok = Load("tests/golden/features/added_token_flags_template.json");
  ASSERT_NE(tok, nullptr);
  EncodeOptions options;
  options.add_special_tokens = true;
  options.with_pretoken_ids = true;
  options.with_offsets = true;
  auto enc = tok->Encode("a cat hello", options);  // "hello" is an added token
  ASSERT_TRUE(enc.ok()) << enc.status();
  ASSERT_EQ(enc->pretoken_ids.size(), enc->ids.size());
  EXPECT_EQ(enc->ids.front(), 0u);     // template: <|endoftext|> ... [SEP]
  EXPECT_EQ(enc->ids.back(), 2002u);
  EXPECT_EQ(enc->pretoken_ids.front(), kNoPreToken);
  EXPECT_EQ(enc->pretoken_ids.back(), kNoPreToken);
  EXPECT_EQ(enc->ids[enc->ids.size() - 2], 2001u);
  // Counting up from 0 in text order, the added token last.
  const std::vector<uint32_t> inner(enc->pretoken_ids.begin() + 1, enc->pretoken_ids.end() - 1);
  EXPECT_EQ(inner.front(), 0u);
  EXPECT_TRUE(std::is_sorted(inner.begin(), inner.end()));
  EXPECT_GT(inner.back(), inner[inner.size() - 2]);
}

TEST(TokenizerApiTest, BatchEncodingKeepsOrderAndEqualsSingleEncoding) {
  auto tok = Load("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  std::vector<std::string> texts;
  for (int i = 0; i < 200; ++i) texts.push_back("text number " + std::to_string(i * 7919) + " with words");
  std::vector<std::string_view> views(texts.begin(), texts.end());
  EncodeOptions options;
  options.with_offsets = true;
  for (int threads : {1, 2, 4}) {
    auto batch = tok->EncodeBatch(views, options, threads);
    ASSERT_TRUE(batch.ok()) << batch.status();
    ASSERT_EQ(batch->size(), texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      auto single = tok->Encode(texts[i], options);
      ASSERT_TRUE(single.ok());
      EXPECT_EQ((*batch)[i].ids, single->ids) << "text " << i << " on " << threads << " threads";
      EXPECT_EQ((*batch)[i].offsets, single->offsets);
    }
  }
}

TEST(TokenizerApiTest, BatchEncodingReportsWhichTextIsInvalid) {
  auto tok = Load("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const std::string bad = "ok \xC3";
  auto batch = tok->EncodeBatch({"fine", bad}, {}, 2);
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.status().message().find("text 1: invalid UTF-8 in text at byte 3"), std::string_view::npos)
      << batch.status();
}

TEST(TokenizerApiTest, DecodeRoundTripsAndRejectsUnknownIds) {
  auto tok = Load("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const std::string text = "Grüße, 世界! 👍🏽\r\n\ttabs  and  spaces 12345";
  auto enc = tok->Encode(text);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(*tok->Decode(enc->ids), text);
  EXPECT_FALSE(tok->Decode({1u << 30}).ok());
}

}  // namespace
}  // namespace tokgraft
