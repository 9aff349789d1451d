// Data-mixture inference: replaying a tokenizer on its own training text
// needs no slack; a tokenizer trained on a known mixture of three categories
// gives back its proportions; bad input is refused, naming the file.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tokgraft/merge_replay.h"
#include "tokgraft/mixture.h"
#include "tokgraft/tokenizer.h"
#include "tokgraft/trainer.h"

namespace tokgraft::mixture {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Base64(std::string_view bytes) {
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 2]);
    out += kDigits[(v >> 18) & 63];
    out += kDigits[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kDigits[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kDigits[v & 63] : '=';
  }
  return out;
}

std::string TempPath(const std::string& name) { return std::string(TOKGRAFT_BINARY_DIR) + "/mixture_test_" + name; }

void WriteFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Trains a byte-level tokenizer (HF's default pre-tokenizer) on `text` and
// writes its tokenizer.json.
std::string TrainTokenizer(const std::string& text, size_t vocab_size, const std::string& name) {
  WordCounts counts(*MakeWordSplitter("digits-bytelevel"));
  EXPECT_TRUE(counts.AddText(text).ok());
  BpeTrainerOptions options;
  options.vocab_size = vocab_size;
  absl::StatusOr<TrainedBpe> trained = TrainBpe(counts, options);
  EXPECT_TRUE(trained.ok()) << trained.status();
  const std::string path = TempPath(name + ".json");
  WriteFile(path, trained->ToTokenizerJson());
  return path;
}

absl::StatusOr<MixtureResult> Infer(const std::string& tokenizer_path, const std::vector<CategorySample>& samples,
                                    MixtureOptions options = {}) {
  absl::StatusOr<std::unique_ptr<Tokenizer>> tokenizer = LoadTokenizer(tokenizer_path);
  if (!tokenizer.ok()) return tokenizer.status();
  options.unit = MixtureOptions::Unit::kLine;  // as the trainer reads text
  return InferMixture(**tokenizer, tokenizer_path, samples, options);
}

TEST(MixtureTest, OwnTrainingTextNeedsNoSlack) {
  // Every merge was the most frequent pair of this very text, so the replay
  // must find no pair more frequent than the merged one at any step.
  const std::string text = ReadAll(std::string(TOKGRAFT_SOURCE_DIR) + "/data/demo.txt");
  const std::string tokenizer = TrainTokenizer(text, 600, "demo");
  const std::string sample = TempPath("demo.txt");
  WriteFile(sample, text);
  absl::StatusOr<MixtureResult> result = Infer(tokenizer, {{"demo", sample}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->steps, result->merges_used);
  EXPECT_EQ(result->unseen_steps, 0u);
  EXPECT_EQ(result->total_slack, 0.0);
  EXPECT_EQ(result->steps_with_slack, 0u);
  EXPECT_DOUBLE_EQ(result->categories[0].proportion, 1.0);
}

TEST(MixtureTest, ReplayCountsTheMergedPairFirst) {
  const std::string text = ReadAll(std::string(TOKGRAFT_SOURCE_DIR) + "/data/demo.txt");
  const std::string tokenizer = TrainTokenizer(text, 400, "demo400");
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> merges = ReadMergesFromTokenizerJson(tokenizer);
  ASSERT_TRUE(merges.ok());
  absl::StatusOr<MergeSchedule> schedule = MergeSchedule::Create(*merges, true, nullptr);
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  WordCounts counts(*MakeWordSplitter("digits-bytelevel"));
  ASSERT_TRUE(counts.AddText(text).ok());
  absl::StatusOr<MergeReplay> replay = ReplayMerges(*schedule, counts.words());
  ASSERT_TRUE(replay.ok()) << replay.status();
  // Pair counts as they stand before each step, rebuilt from the changes.
  absl::flat_hash_map<uint64_t, uint32_t> now;
  size_t k = 0;
  for (size_t t = 0; t < schedule->steps().size(); ++t) {
    for (; k < replay->changes.size() && replay->changes[k].step == t; ++k) {
      now[replay->changes[k].pair] = replay->changes[k].count;
    }
    uint32_t top = 0;
    for (const auto& [pair, count] : now) top = std::max(top, count);
    EXPECT_EQ(replay->step_counts[t], top) << "step " << t;
    EXPECT_GT(replay->step_counts[t], 0u) << "step " << t;
  }
}

// $TOKGRAFT_DATA, defaulting to ~/.cache/tokgraft-data; empty if absent.
std::string DataDir() {
  const char* data = std::getenv("TOKGRAFT_DATA");
  const char* home = std::getenv("HOME");
  const std::string dir = data && *data ? data : std::string(home ? home : "") + "/.cache/tokgraft-data";
  return fs::is_directory(dir + "/corpus/train") ? dir : "";
}

// Two consecutive pieces of a corpus file, cut at line ends, separator lines
// dropped (the trainer would count them): about `first` bytes, then about
// `second` bytes.
std::pair<std::string, std::string> Pieces(const std::string& path, size_t first, size_t second) {
  std::ifstream in(path, std::ios::binary);
  std::string a, b, line;
  while ((a.size() < first || b.size() < second) && std::getline(in, line)) {
    if (line == "\x1E") continue;
    (a.size() < first ? a : b) += line + "\n";
  }
  return {a, b};
}

TEST(MixtureTest, RecoversAKnownThreeCategoryMixture) {
  const std::string data = DataDir();
  if (data.empty()) GTEST_SKIP() << "needs $TOKGRAFT_DATA/corpus (the shared data)";
  // 3 MB of training text: 50% English, 30% French, 20% Russian, by bytes;
  // the samples are the next 300 kB of each file (disjoint from training).
  const std::vector<std::pair<std::string, double>> mixture = {{"en", 0.5}, {"fr", 0.3}, {"ru", 0.2}};
  std::string text;
  std::vector<CategorySample> samples;
  for (const auto& [category, share] : mixture) {
    auto [train, sample] = Pieces(data + "/corpus/train/" + category + ".txt", static_cast<size_t>(share * 3e6), 300000);
    text += train;
    samples.push_back({category, TempPath(category + "-sample.txt")});
    WriteFile(samples.back().path, sample);
  }
  const std::string tokenizer = TrainTokenizer(text, 5000, "en-fr-ru");
  absl::StatusOr<MixtureResult> result = Infer(tokenizer, samples);
  ASSERT_TRUE(result.ok()) << result.status();
  // Measured 46.2% / 29.7% / 24.1% with the per-step program (2026-11); it
  // passes with the per-pair one. Samples of 300 kB carry sampling noise
  // (the paper uses 1 GB per category); code categories are noisier still,
  // see the README.
  constexpr double kTolerance = 0.06;
  for (size_t i = 0; i < mixture.size(); ++i) {
    EXPECT_NEAR(result->categories[i].proportion, mixture[i].second, kTolerance) << mixture[i].first;
  }
}

TEST(MixtureTest, PairSlackAbsorbsPairsOneSampleOverRepresents) {
  const std::string data = DataDir();
  if (data.empty()) GTEST_SKIP() << "needs $TOKGRAFT_DATA/corpus (the shared data)";
  // Trained on 50% English, 50% Russian; inferred from held-out samples as
  // they are, and with a block of box drawing added to the English one (as
  // 13 documents of corpus/dev/en.txt have), whose byte pairs the tokenizer
  // never merges: under English's weight they are more frequent than the
  // merged pair at every step after the first few.
  const std::vector<std::pair<std::string, double>> mixture = {{"en", 0.5}, {"ru", 0.5}};
  std::string text;
  std::vector<CategorySample> clean, boxed;
  for (const auto& [category, share] : mixture) {
    auto [train, sample] = Pieces(data + "/corpus/train/" + category + ".txt", static_cast<size_t>(share * 1e6), 200000);
    text += train;
    clean.push_back({category, TempPath(category + "-clean-sample.txt")});
    WriteFile(clean.back().path, sample);
    if (category == "en") {
      for (int line = 0; line < 40; ++line) {
        for (int k = 0; k < 50; ++k) sample += "\xE2\x94\x80";  // U+2500
        sample += "\n";
      }
    }
    boxed.push_back({category, TempPath(category + "-boxed-sample.txt")});
    WriteFile(boxed.back().path, sample);
  }
  const std::string tokenizer = TrainTokenizer(text, 2000, "en-ru");
  MixtureOptions per_step_only;
  per_step_only.pair_slack = false;
  absl::StatusOr<MixtureResult> clean_pairs = Infer(tokenizer, clean);
  absl::StatusOr<MixtureResult> boxed_pairs = Infer(tokenizer, boxed);
  absl::StatusOr<MixtureResult> clean_steps = Infer(tokenizer, clean, per_step_only);
  absl::StatusOr<MixtureResult> boxed_steps = Infer(tokenizer, boxed, per_step_only);
  for (const auto* r : {&clean_pairs, &boxed_pairs, &clean_steps, &boxed_steps}) ASSERT_TRUE(r->ok()) << r->status();
  // Measured (English): with pair slacks 42.6% from the clean samples, 43.1%
  // with the box drawing; per step only, 24.0% and 23.7%. Without pair
  // slacks, the pairs that a 200 kB held-out sample over-represents by
  // chance already push English down; the box drawing changes little more.
  EXPECT_NEAR(clean_pairs->categories[0].proportion, 0.5, 0.1);
  EXPECT_NEAR(boxed_pairs->categories[0].proportion, clean_pairs->categories[0].proportion, 0.02);
  EXPECT_LT(clean_steps->categories[0].proportion, 0.35);
  EXPECT_GT(boxed_pairs->pairs_with_slack, 0u);
  EXPECT_EQ(boxed_steps->pairs_with_slack, 0u);
}

TEST(MixtureTest, RefusesMissingAndEmptySamplesNamingThem) {
  const std::string text = ReadAll(std::string(TOKGRAFT_SOURCE_DIR) + "/data/demo.txt");
  const std::string tokenizer = TrainTokenizer(text, 300, "demo300");
  const std::string missing = TempPath("no-such-file.txt");
  absl::StatusOr<MixtureResult> result = Infer(tokenizer, {{"gone", missing}});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find(missing), std::string::npos) << result.status();
  const std::string empty = TempPath("empty.txt");
  WriteFile(empty, "");
  result = Infer(tokenizer, {{"empty", empty}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find(empty), std::string::npos) << result.status();
}

TEST(MixtureTest, RefusesTokenizersWithoutMergeList) {
  // A tiktoken rank file: no merge list to replay.
  const std::string ranks = TempPath("tiny.tiktoken");
  std::string rank_file;
  for (int b = 0; b < 256; ++b) {
    const std::string byte(1, static_cast<char>(b));
    rank_file += Base64(byte) + " " + std::to_string(b) + "\n";
  }
  WriteFile(ranks, rank_file);
  LoadOptions load;
  load.tiktoken_pattern = "r50k_base";
  absl::StatusOr<std::unique_ptr<Tokenizer>> tokenizer = LoadTokenizer(ranks, load);
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  const std::string sample = TempPath("ab.txt");
  WriteFile(sample, "ab ab ab\n");
  absl::StatusOr<MixtureResult> result = InferMixture(**tokenizer, ranks, {{"ab", sample}}, MixtureOptions());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("tiktoken"), std::string::npos) << result.status();
}

TEST(MixtureTest, JsonAndHtmlNameEveryCategory) {
  MixtureResult result;
  result.tokenizer = "t.json";
  result.categories = {{"en", "en.txt", 0.75, 100, 10}, {"c\"ode", "c.txt", 0.25, 50, 5}};
  const std::string json = MixtureToJson(result);
  EXPECT_NE(json.find("\"name\":\"en\",\"path\":\"en.txt\",\"proportion\":0.75"), std::string::npos) << json;
  EXPECT_NE(json.find("c\\\"ode"), std::string::npos) << json;
  const std::string html = MixtureToHtml(result);
  EXPECT_NE(html.find("c&quot;ode"), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
  EXPECT_NE(html.find("75.00%"), std::string::npos);
}

}  // namespace
}  // namespace tokgraft::mixture
