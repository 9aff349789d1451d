// lm/: safetensors validation, config errors, the forward pass's state
// handling (incremental = whole, forks independent, batch = single), the
// table model, and log-probabilities against goldens made by the NumPy
// reference for the shared tiny checkpoints.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "gtest/gtest.h"
#include "simdjson.h"
#include "tokgraft/lm.h"
#include "tokgraft/safetensors.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  const fs::path dir = fs::path(TOKGRAFT_BINARY_DIR) / ("lm_test_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

void WriteAll(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
}

// A safetensors file from a header and data written by hand.
std::string RawSafetensors(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  return out + header + data;
}

absl::Status ParseRaw(const std::string& header, const std::string& data) {
  return SafetensorsFile::FromBuffer(RawSafetensors(header, data), "t.safetensors").status();
}

TEST(SafetensorsTest, WriteThenReadEveryFloatType) {
  const std::string dir = TempDir("roundtrip");
  const std::vector<float> values = {0.0f, 1.0f, -2.5f, 3.14159f, 1e-3f, -65504.0f};
  for (DType dtype : {DType::kF32, DType::kF16, DType::kBF16}) {
    const std::string path = dir + "/t.safetensors";
    ASSERT_TRUE(WriteSafetensors(path, {{"b.weight", {2, 3}, dtype, values.data()},
                                        {"a", {6}, dtype, values.data()}},
                                 {{"format", "pt"}})
                    .ok());
    auto file = SafetensorsFile::Open(path);
    ASSERT_TRUE(file.ok()) << file.status();
    EXPECT_EQ((*file)->metadata().at("format"), "pt");
    const TensorView* t = (*file)->Find("b.weight");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->shape, (std::vector<int64_t>{2, 3}));
    std::vector<float> back(6);
    ASSERT_TRUE(ToFloat32(*t, back.data()).ok());
    const float tolerance = dtype == DType::kF32 ? 0 : dtype == DType::kF16 ? 1e-3f : 1e-2f;
    for (size_t i = 0; i < values.size(); ++i) {
      EXPECT_NEAR(back[i], values[i], tolerance * std::max(1.0f, std::fabs(values[i]))) << DTypeName(dtype);
    }
  }
}

TEST(SafetensorsTest, MalformedFilesAreErrorsNamingTheProblem) {
  const std::string ok = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  EXPECT_TRUE(ParseRaw(ok, std::string(8, '\0')).ok());
  auto message = [](const absl::Status& s) { return std::string(s.message()); };
  EXPECT_NE(message(ParseRaw(ok, std::string(4, '\0'))).find("tensor w"), std::string::npos);
  EXPECT_NE(message(ParseRaw(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", std::string(8, '\0')))
                .find("need 12"),
            std::string::npos);
  EXPECT_NE(message(ParseRaw(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                             std::string(8, '\0')))
                .find("overlap"),
            std::string::npos);
  EXPECT_NE(message(ParseRaw(R"({"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}})", std::string(8, '\0')))
                .find("unknown dtype Q4"),
            std::string::npos);
  EXPECT_NE(message(ParseRaw("not json", "")).find("not JSON"), std::string::npos);
  EXPECT_NE(message(ParseRaw(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", std::string(8, '\0')))
                .find("begin <= end"),
            std::string::npos);
  // A header length past the end: a truncated file.
  std::string truncated = RawSafetensors(ok, std::string(8, '\0')).substr(0, 20);
  EXPECT_NE(message(SafetensorsFile::FromBuffer(truncated, "t").status()).find("runs past the end"),
            std::string::npos);
  EXPECT_FALSE(SafetensorsFile::FromBuffer("abc", "t").ok());
  const TensorView ints{DType::kI32, {1}, nullptr, 4};
  float out;
  EXPECT_FALSE(ToFloat32(ints, &out).ok());
}

// A random tiny llama checkpoint written with our own writer.
struct TinyModel {
  std::string dir;
  int vocab = 50, hidden = 16, layers = 2, heads = 4, kv_heads = 2, head_dim = 4, ffn = 24;
};

TinyModel WriteTinyModel(const std::string& name, bool biases, const std::string& skip_tensor = "") {
  TinyModel m;
  m.dir = TempDir(name);
  WriteAll(m.dir + "/config.json",
           R"({"model_type":"llama","hidden_size":16,"intermediate_size":24,"num_hidden_layers":2,)"
           R"("num_attention_heads":4,"num_key_value_heads":2,"head_dim":4,"rms_norm_eps":1e-5,)"
           R"("rope_theta":10000,"vocab_size":50,"eos_token_id":0,"tie_word_embeddings":false})");
  std::mt19937 rng(1);
  std::normal_distribution<float> normal(0.0f, 0.3f);
  std::vector<std::vector<float>> storage;
  std::vector<TensorToWrite> tensors;
  auto add = [&](const std::string& tensor, std::vector<int64_t> shape, bool ones = false) {
    if (tensor == skip_tensor) return;
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    storage.emplace_back(n);
    for (float& v : storage.back()) v = ones ? 1.0f + normal(rng) * 0.1f : normal(rng);
    tensors.push_back({tensor, shape, DType::kF32, nullptr});
  };
  add("model.embed_tokens.weight", {m.vocab, m.hidden});
  add("lm_head.weight", {m.vocab, m.hidden});
  add("model.norm.weight", {m.hidden}, true);
  for (int l = 0; l < m.layers; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    add(p + "input_layernorm.weight", {m.hidden}, true);
    add(p + "post_attention_layernorm.weight", {m.hidden}, true);
    add(p + "self_attn.q_proj.weight", {m.heads * m.head_dim, m.hidden});
    add(p + "self_attn.k_proj.weight", {m.kv_heads * m.head_dim, m.hidden});
    add(p + "self_attn.v_proj.weight", {m.kv_heads * m.head_dim, m.hidden});
    if (biases) add(p + "self_attn.q_proj.bias", {m.heads * m.head_dim});
    add(p + "self_attn.o_proj.weight", {m.hidden, m.heads * m.head_dim});
    add(p + "mlp.gate_proj.weight", {m.ffn, m.hidden});
    add(p + "mlp.up_proj.weight", {m.ffn, m.hidden});
    add(p + "mlp.down_proj.weight", {m.hidden, m.ffn});
  }
  for (size_t i = 0; i < tensors.size(); ++i) tensors[i].values = storage[i].data();
  EXPECT_TRUE(WriteSafetensors(m.dir + "/model.safetensors", tensors).ok());
  return m;
}

std::vector<float> Row(const std::vector<float>& rows, size_t i, size_t vocab) {
  return std::vector<float>(rows.begin() + i * vocab, rows.begin() + (i + 1) * vocab);
}

void ExpectNear(const std::vector<float>& a, const std::vector<float>& b, float tolerance) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], tolerance) << "at " << i;
}

TEST(TransformerLMTest, IncrementalForkAndBatchAgree) {
  const TinyModel m = WriteTinyModel("tiny", true);
  auto model = TransformerLM::Load(m.dir, {1});
  ASSERT_TRUE(model.ok()) << model.status();
  const std::vector<uint32_t> tokens = {0, 5, 17, 3, 42, 42, 9, 1};
  std::vector<float> whole;
  auto state = (*model)->NewState();
  ASSERT_TRUE((*model)->Append(state.get(), tokens, &whole).ok());
  EXPECT_EQ(state->length(), tokens.size());
  // Rows are normalized log-probabilities.
  double total = 0;
  for (float lp : Row(whole, 3, m.vocab)) total += std::exp(lp);
  EXPECT_NEAR(total, 1.0, 1e-4);

  // The same tokens appended in two steps, the second after a fork.
  auto prefix = (*model)->NewState();
  std::vector<float> first, second;
  ASSERT_TRUE((*model)->Append(prefix.get(), absl::MakeSpan(tokens).subspan(0, 5), &first).ok());
  auto fork = (*model)->Fork(*prefix);
  ASSERT_TRUE((*model)->Append(fork.get(), absl::MakeSpan(tokens).subspan(5), &second).ok());
  first.insert(first.end(), second.begin(), second.end());
  ExpectNear(first, whole, 1e-4f);
  // The fork left the original prefix untouched.
  EXPECT_EQ(prefix->length(), 5u);
  std::vector<float> again;
  ASSERT_TRUE((*model)->Append(prefix.get(), absl::MakeSpan(tokens).subspan(5, 1), &again).ok());
  ExpectNear(again, Row(whole, 5, m.vocab), 1e-4f);

  // A batch of sequences of different lengths gives each its own result.
  std::vector<std::vector<float>> batch;
  ASSERT_TRUE((*model)->ScoreBatch({tokens, {7, 8}}, &batch).ok());
  ExpectNear(batch[0], whole, 1e-4f);
  std::vector<float> short_one;
  auto s2 = (*model)->NewState();
  ASSERT_TRUE((*model)->Append(s2.get(), std::vector<uint32_t>{7, 8}, &short_one).ok());
  ExpectNear(batch[1], short_one, 1e-4f);

  EXPECT_FALSE((*model)->Append(s2.get(), std::vector<uint32_t>{50}, nullptr).ok());
}

TEST(TransformerLMTest, MissingTensorAndBadConfigAreNamed) {
  const TinyModel missing = WriteTinyModel("missing", false, "model.layers.1.mlp.up_proj.weight");
  auto model = TransformerLM::Load(missing.dir);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("missing tensor model.layers.1.mlp.up_proj.weight"), std::string::npos)
      << model.status();

  const TinyModel bad = WriteTinyModel("badconfig", false);
  WriteAll(bad.dir + "/config.json", R"({"model_type":"llama","hidden_size":16})");
  model = TransformerLM::Load(bad.dir);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("intermediate_size is missing"), std::string::npos) << model.status();
  WriteAll(bad.dir + "/config.json", R"({"model_type":"gpt2"})");
  EXPECT_NE(TransformerLM::Load(bad.dir).status().message().find("not supported"), std::string::npos);

  // A config whose sizes disagree with the tensors.
  WriteAll(bad.dir + "/config.json",
           R"({"model_type":"llama","hidden_size":16,"intermediate_size":32,"num_hidden_layers":2,)"
           R"("num_attention_heads":4,"num_key_value_heads":2,"head_dim":4,"vocab_size":50})");
  EXPECT_NE(TransformerLM::Load(bad.dir).status().message().find("has shape [24,16], the config needs [32,16]"),
            std::string::npos);
}

TEST(BigramTableLMTest, DistributionFollowsThePreviousToken) {
  const std::vector<float> initial = {std::log(0.5f), std::log(0.5f)};
  const std::vector<float> next = {std::log(0.9f), std::log(0.1f), std::log(0.2f), std::log(0.8f)};
  BigramTableLM lm(initial, next);
  auto state = lm.NewState();
  std::vector<float> out;
  ASSERT_TRUE(lm.Append(state.get(), std::vector<uint32_t>{1, 0}, &out).ok());
  EXPECT_NEAR(std::exp(out[1]), 0.8f, 1e-6);  // after 1
  EXPECT_NEAR(std::exp(out[2]), 0.9f, 1e-6);  // after 0
  auto fork = lm.Fork(*state);
  EXPECT_EQ(fork->length(), 2u);
  EXPECT_FALSE(lm.Append(state.get(), std::vector<uint32_t>{2}, nullptr).ok());
}

TEST(SplitCorpusDocumentsTest, SeparatorLinesAndTheirNewline) {
  EXPECT_EQ(SplitCorpusDocuments("a\nb\n\x1e\nc\n\x1e\n\x1e\nd\n"),
            (std::vector<std::string>{"a\nb", "c", "d\n"}));
  EXPECT_EQ(SplitCorpusDocuments("\n\n"), std::vector<std::string>{});
}

// Goldens: tests/golden/lm/make_lm_golden.sh runs the NumPy reference.
TEST(TransformerLMGoldenTest, MatchesTheNumpyReference) {
  const char* env = std::getenv("TOKGRAFT_DATA");
  const fs::path data = env && *env ? fs::path(env) : fs::path(std::getenv("HOME")) / ".cache/tokgraft-data";
  for (const std::string name : {"model-tiny-a", "model-tiny-b"}) {
    const fs::path model_dir = data / "models" / name;
    if (!fs::exists(model_dir / "config.json")) {
      GTEST_SKIP() << "SKIPPED: " << model_dir << " not found; run shared/data/fetch models";
    }
    auto model = TransformerLM::Load(model_dir.string());
    ASSERT_TRUE(model.ok()) << model.status();
    auto tokenizer = LoadTokenizer(model_dir.string());
    ASSERT_TRUE(tokenizer.ok());
    std::ifstream golden(std::string(TOKGRAFT_SOURCE_DIR) + "/tests/golden/lm/" + name + ".jsonl");
    ASSERT_TRUE(golden) << "missing golden for " << name;
    simdjson::dom::parser parser;
    std::string line;
    int documents = 0;
    while (std::getline(golden, line)) {
      simdjson::dom::element doc = parser.parse(line);
      std::string_view text = doc["text"];
      std::vector<uint32_t> ids;
      for (int64_t id : doc["tokens"].get_array()) ids.push_back(static_cast<uint32_t>(id));
      auto encoded = (*tokenizer)->Encode(text);
      ASSERT_TRUE(encoded.ok());
      ASSERT_EQ(encoded->ids, ids) << name << ": the tokenizer disagrees with the reference";
      auto logprobs = ScoreTokens(**model, ids, 16);
      ASSERT_TRUE(logprobs.ok()) << logprobs.status();
      size_t i = 0;
      for (double expected : doc["logprobs"].get_array()) {
        ASSERT_NEAR((*logprobs)[i], expected, 1e-3) << name << " token " << i;
        ++i;
      }
      EXPECT_EQ(i, logprobs->size());
      ++documents;
    }
    EXPECT_GT(documents, 0);
  }
}

}  // namespace
}  // namespace tokgraft
