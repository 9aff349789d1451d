// ComputeStats end to end on the committed tokenizers, and its JSON and HTML.
#include <fstream>
#include <regex>

#include "gtest/gtest.h"
#include "simdjson.h"
#include "stats/stats_test_util.h"
#include "tokgraft/stats.h"

namespace tokgraft::stats {
namespace {

class StatsReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    demo_ = testing::LoadCommitted("data/demo-tokenizer.json");
    metaspace_ = testing::LoadCommitted("tests/golden/features/metaspace_first_split.json");
    ASSERT_NE(demo_, nullptr);
    ASSERT_NE(metaspace_, nullptr);
    tokenizers_ = {{"demo", "data/demo-tokenizer.json", demo_.get(), 0},
                   {"metaspace", "metaspace_first_split.json", metaspace_.get(), 0}};
    corpus_ = {{"en", testing::WriteTempFile("en.txt", "The house is small.\n\x1e\nTokenizers split words.\n")},
               {"python", testing::WriteTempFile("python.txt", "def f(x):\n    return x ** 2  # 1234567\n")}};
  }

  std::unique_ptr<Tokenizer> demo_, metaspace_;
  std::vector<NamedTokenizer> tokenizers_;
  std::vector<CorpusFile> corpus_;
};

TEST_F(StatsReportTest, ComputesEveryTokenizerAndCategory) {
  StatsOptions options;
  options.batch_bytes = 1;  // one document a batch: the streaming path
  absl::StatusOr<StatsReport> report = ComputeStats(tokenizers_, corpus_, options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->categories, std::vector<std::string>({"en", "python"}));
  ASSERT_EQ(report->tokenizers.size(), 2u);
  for (const TokenizerStats& t : report->tokenizers) {
    ASSERT_EQ(t.categories.size(), 2u);
    EXPECT_EQ(t.categories[0].documents, 2u);
    EXPECT_EQ(t.overall.documents, 3u);
    EXPECT_EQ(t.overall.bytes, t.categories[0].bytes + t.categories[1].bytes);
    EXPECT_EQ(t.overall.tokens, t.categories[0].tokens + t.categories[1].tokens);
    EXPECT_EQ(t.categories[0].words, 7u);
    EXPECT_FALSE(t.categories[1].word_validity.has_value());
    EXPECT_GT(BytesPerToken(t.overall), 1.0);
  }
  // Same bytes, same tokens, however the files write them.
  EXPECT_EQ(report->shared_tokens[0][1], report->shared_tokens[1][0]);
  EXPECT_GT(report->shared_tokens[0][1], 0u);
  EXPECT_LE(report->shared_tokens[0][1], report->shared_tokens[1][1]);
}

TEST_F(StatsReportTest, WordValidityWithAnEnglishDictionary) {
  absl::StatusOr<StatsReport> report = ComputeStats(tokenizers_, corpus_, StatsOptions());
  ASSERT_TRUE(report.ok()) << report.status();
  const std::optional<WordValidity>& v = report->tokenizers[0].categories[0].word_validity;
  if (!v) GTEST_SKIP() << "needs hunspell-en-us (tools/install-deps.sh)";
  EXPECT_EQ(v->dictionary, "en_US");
  EXPECT_GT(v->alphabetic_tokens, 0u);
  EXPECT_GT(v->valid_tokens, 0u);  // " The", " house", ...
  EXPECT_LE(v->valid_tokens, v->alphabetic_tokens);
  EXPECT_LE(v->word_initial_valid, v->word_initial_tokens);
}

TEST_F(StatsReportTest, JsonHasEveryNumber) {
  absl::StatusOr<StatsReport> report = ComputeStats(tokenizers_, corpus_, StatsOptions());
  ASSERT_TRUE(report.ok()) << report.status();
  const std::string json = StatsToJson(*report);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  EXPECT_EQ(double(doc["renyi_alpha"]), 2.5);
  simdjson::dom::element demo = doc["tokenizers"].at(0);
  EXPECT_EQ(std::string_view(demo["name"]), "demo");
  EXPECT_EQ(uint64_t(demo["vocab_size"]), 2000u);
  EXPECT_EQ(uint64_t(demo["categories"]["en"]["words"]), 7u);
  EXPECT_GT(double(demo["overall"]["bytes_per_token"]), 1.0);
  EXPECT_EQ(uint64_t(demo["byte_coverage"]["covered"]), 256u);
  EXPECT_EQ(demo["categories"]["en"]["token_length_histogram"].get_array().size(), size_t(kTokenLengthBuckets));
  EXPECT_TRUE(demo["categories"]["python"]["word_validity"].is_null());
  EXPECT_EQ(uint64_t(doc["shared_tokens"]["counts"].at(1).at(1)), report->shared_tokens[1][1]);
}

TEST_F(StatsReportTest, HtmlIsSelfContainedWithEveryChart) {
  absl::StatusOr<StatsReport> report = ComputeStats(tokenizers_, corpus_, StatsOptions());
  ASSERT_TRUE(report.ok()) << report.status();
  const std::string html = StatsToHtml(*report);
  for (const char* id : {"bytes-per-token", "fertility", "token-lengths-0", "token-lengths-1", "shared-tokens"}) {
    EXPECT_NE(html.find(std::string("<svg class=\"chart\" id=\"") + id + "\""), std::string::npos) << id;
  }
  // Nothing is fetched: no external scripts, styles, images or links.
  EXPECT_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=)")));
  EXPECT_EQ(html.find("http://www.w3.org/2000/svg"), html.find("http://"));  // only the SVG namespace
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

TEST_F(StatsReportTest, EmptyCorpusFileIsNamed) {
  corpus_.push_back({"empty", testing::WriteTempFile("empty.txt", "\x1e\n")});
  absl::StatusOr<StatsReport> report = ComputeStats(tokenizers_, corpus_, StatsOptions());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().message(), corpus_.back().path + ": no text (empty corpus file)");
}

}  // namespace
}  // namespace tokgraft::stats

namespace tokgraft::stats {
namespace {

// Published tokenizers on the English dev text: relations that hold for any
// sound implementation (a bigger, newer vocabulary compresses English better).
TEST(PublishedStatsTest, Llama3CompressesEnglishBetterThanLlama2) {
  auto llama3 = testing::LoadShared("tokenizers/llama3.json");
  auto llama2 = testing::LoadShared("tokenizers/llama2.json");
  const std::string en = testing::SharedDataDir() + "/corpus/dev/en.txt";
  if (llama3 == nullptr || llama2 == nullptr || !std::ifstream(en).good()) {
    GTEST_SKIP() << "needs $TOKGRAFT_DATA (tokenizers/llama3.json, tokenizers/llama2.json, corpus/dev/en.txt)";
  }
  absl::StatusOr<StatsReport> report =
      ComputeStats({{"llama3", "", llama3.get(), 0}, {"llama2", "", llama2.get(), 0}}, {{"en", en}}, StatsOptions());
  ASSERT_TRUE(report.ok()) << report.status();
  const TextMetrics& l3 = report->tokenizers[0].categories[0];
  const TextMetrics& l2 = report->tokenizers[1].categories[0];
  EXPECT_EQ(l3.words, l2.words);  // words do not depend on the tokenizer
  EXPECT_GT(BytesPerToken(l3), 4.0);
  EXPECT_GT(BytesPerToken(l3), BytesPerToken(l2));
  EXPECT_LT(TokensPerWord(l3), TokensPerWord(l2));
  EXPECT_LT(SplitWordShare(l3), SplitWordShare(l2));
  EXPECT_GT(TokensPerWord(l3), 1.0);
  // Both vocabularies hold most of llama2's 32k tokens in common form.
  EXPECT_GT(report->shared_tokens[0][1], 20000u);
  EXPECT_EQ(report->tokenizers[0].facts.unreachable, 0u);
  EXPECT_EQ(report->tokenizers[1].facts.byte_fallback_tokens, 256u);
  EXPECT_TRUE(report->tokenizers[1].facts.missing_bytes.empty());
  if (l3.word_validity) {
    // Most alphabetic tokens used on English text are English words.
    EXPECT_GT(double(l3.word_validity->valid_tokens) / l3.word_validity->alphabetic_tokens, 0.6);
  }
}

}  // namespace
}  // namespace tokgraft::stats
