// transplant/: OMP against a brute-force solver, vocabulary alignment
// (canonical bytes, special tokens one by one), the cases mergekit's
// tokensurgeon gets wrong, and complete output folders.
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

#include "Eigen/Dense"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "model_folder.h"
#include "output_folder.h"
#include "simdjson.h"
#include "tokgraft/checkpoint.h"
#include "tokgraft/lm.h"
#include "tokgraft/omp.h"
#include "tokgraft/safetensors.h"
#include "tokgraft/transplant.h"
#include "vocabulary_alignment.h"

namespace tokgraft {
namespace {

namespace fs = std::filesystem;
using transplant::LoadModelFolder;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::vector<float> Random(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0, 1);
  std::vector<float> v(n);
  for (float& x : v) x = normal(rng);
  return v;
}

// The plain algorithm: all correlations, argmax, least squares from scratch.
void BruteForceOmp(const std::vector<float>& atoms, size_t n, size_t d, const float* target, int k, bool normalize,
                   std::vector<int32_t>* chosen, Eigen::VectorXd* coefficients) {
  Eigen::MatrixXd D(n, d);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j) D(i, j) = atoms[i * d + j];
  }
  Eigen::VectorXd x(d);
  for (size_t j = 0; j < d; ++j) x[j] = target[j];
  Eigen::VectorXd residual = x;
  chosen->clear();
  for (int step = 0; step < k; ++step) {
    Eigen::VectorXd score = (D * residual).cwiseAbs();
    if (normalize) score = score.cwiseQuotient(D.rowwise().norm());
    int best = -1;
    for (size_t i = 0; i < n; ++i) {
      if (std::find(chosen->begin(), chosen->end(), int32_t(i)) != chosen->end()) continue;
      if (best < 0 || score[i] > score[best]) best = static_cast<int>(i);
    }
    chosen->push_back(best);
    Eigen::MatrixXd S(d, chosen->size());
    for (size_t c = 0; c < chosen->size(); ++c) S.col(c) = D.row((*chosen)[c]).transpose();
    *coefficients = S.colPivHouseholderQr().solve(x);
    residual = x - S * *coefficients;
  }
}

TEST(OmpTest, MatchesBruteForce) {
  const size_t n = 300, d = 32, targets = 20;
  const int k = 8;
  const std::vector<float> atoms = Random(n * d, 1), x = Random(targets * d, 2);
  for (bool normalize : {false, true}) {
    for (bool fp64 : {false, true}) {
      OmpOptions options;
      options.k = k;
      options.normalize_atoms = normalize;
      options.fp64 = fp64;
      options.batch = 7;  // several batches, one partial
      absl::StatusOr<OmpSolution> got = SolveOmp({atoms.data(), n, d}, {x.data(), targets, d}, options);
      ASSERT_TRUE(got.ok()) << got.status();
      for (size_t t = 0; t < targets; ++t) {
        std::vector<int32_t> chosen;
        Eigen::VectorXd coefficients;
        BruteForceOmp(atoms, n, d, &x[t * d], k, normalize, &chosen, &coefficients);
        for (int j = 0; j < k; ++j) {
          ASSERT_EQ(got->atoms[t * k + j], chosen[j]) << "target " << t << " step " << j;
          EXPECT_NEAR(got->coefficients[t * k + j], coefficients[j], 1e-6 * (1 + std::abs(coefficients[j])));
        }
      }
    }
  }
}

TEST(OmpTest, ExcludedAtomIsNeverChosen) {
  const size_t n = 50, d = 16;
  const std::vector<float> atoms = Random(n * d, 3);
  OmpOptions options;
  options.k = 4;
  const FloatRows dictionary{atoms.data(), n, d}, target{&atoms[7 * d], 1, d};
  absl::StatusOr<OmpSolution> plain = SolveOmp(dictionary, target, options);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->atoms[0], 7);  // an atom explains itself...
  EXPECT_NEAR(plain->coefficients[0], 1, 1e-6);
  const std::vector<int32_t> excluded = {7};
  absl::StatusOr<OmpSolution> hidden = SolveOmp(dictionary, target, options, excluded);
  ASSERT_TRUE(hidden.ok());
  for (int j = 0; j < 4; ++j) EXPECT_NE(hidden->atoms[j], 7);  // ...unless it is hidden
}

TEST(OmpTest, DependentAtomsStopEarly) {
  // Two atoms in a 2-dimensional space: a third step has nothing left.
  const std::vector<float> atoms = {1, 0, 0, 1, 1, 1};
  const std::vector<float> target = {2, 3};
  OmpOptions options;
  options.k = 3;
  absl::StatusOr<OmpSolution> got = SolveOmp({atoms.data(), 3, 2}, {target.data(), 1, 2}, options);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->atoms[2], -1);
  EXPECT_EQ(got->coefficients[2], 0);
}

TEST(OmpTest, ScreenedWithEveryAtomAsCandidateIsExact) {
  // A pool that holds every atom leaves nothing out: the screened search
  // must choose exact OMP's atoms (its scores come from the pool's products
  // with the chosen atoms instead of the residual) and the same coefficients.
  const size_t n = 300, d = 32, targets = 20;
  const int k = 8;
  const std::vector<float> atoms = Random(n * d, 5), x = Random(targets * d, 6);
  std::vector<int32_t> excluded(targets, -1);
  excluded[3] = 17;
  for (bool normalize : {false, true}) {
    for (bool fp64 : {false, true}) {
      OmpOptions exact;
      exact.k = k;
      exact.normalize_atoms = normalize;
      exact.fp64 = fp64;
      exact.batch = 7;
      absl::StatusOr<OmpSolution> want = SolveOmp({atoms.data(), n, d}, {x.data(), targets, d}, exact, excluded);
      ASSERT_TRUE(want.ok());
      for (size_t candidates : {n, 10 * n}) {
        for (int rescreen : {0, 3}) {
          SCOPED_TRACE(absl::StrFormat("normalize %d fp64 %d candidates %zu rescreen %d", normalize, fp64,
                                       candidates, rescreen));
          OmpOptions screened = exact;
          screened.candidates = candidates;
          screened.rescreen_every = rescreen;
          absl::StatusOr<OmpSolution> got = SolveOmp({atoms.data(), n, d}, {x.data(), targets, d}, screened, excluded);
          ASSERT_TRUE(got.ok()) << got.status();
          EXPECT_EQ(got->atoms, want->atoms);
          for (size_t i = 0; i < want->coefficients.size(); ++i) {
            EXPECT_NEAR(got->coefficients[i], want->coefficients[i], 1e-9 * (1 + std::abs(want->coefficients[i])));
          }
        }
      }
    }
  }
}

TEST(OmpTest, ScreenedSolutionIsLeastSquaresOnItsPool) {
  // A small pool: the atoms may differ from exact OMP's, but they are
  // distinct, never the excluded one, drawn from the pool (without
  // rescreening: the `candidates` atoms that correlate best with the
  // target), and their coefficients are the least-squares fit of the target.
  const size_t n = 400, d = 48, targets = 12, candidates = 20;
  const int k = 10;
  const std::vector<float> atoms = Random(n * d, 7), x = Random(targets * d, 8);
  Eigen::MatrixXd D(n, d);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j) D(i, j) = atoms[i * d + j];
  }
  std::vector<int32_t> excluded(targets, -1);
  for (size_t t = 0; t < targets; t += 2) excluded[t] = static_cast<int32_t>(t * 31 % n);
  size_t differs_from_exact = 0;
  for (int rescreen : {0, 4}) {
    OmpOptions options;
    options.k = k;
    options.batch = 5;
    options.candidates = candidates;
    options.rescreen_every = rescreen;
    absl::StatusOr<OmpSolution> got = SolveOmp({atoms.data(), n, d}, {x.data(), targets, d}, options, excluded);
    ASSERT_TRUE(got.ok()) << got.status();
    for (size_t t = 0; t < targets; ++t) {
      SCOPED_TRACE(absl::StrFormat("rescreen %d target %zu", rescreen, t));
      Eigen::VectorXd target(d);
      for (size_t j = 0; j < d; ++j) target[j] = x[t * d + j];
      // The pool: the best `candidates` atoms by |correlation| with the target.
      Eigen::VectorXd score = (D * target).cwiseAbs();
      if (excluded[t] >= 0) score[excluded[t]] = -1;
      std::vector<int32_t> by_score(n);
      std::iota(by_score.begin(), by_score.end(), 0);
      std::sort(by_score.begin(), by_score.end(), [&](int32_t a, int32_t b) { return score[a] > score[b]; });
      const std::set<int32_t> pool(by_score.begin(), by_score.begin() + candidates);
      std::set<int32_t> chosen;
      Eigen::MatrixXd S(d, k);
      for (int j = 0; j < k; ++j) {
        const int32_t a = got->atoms[t * k + j];
        ASSERT_GE(a, 0);
        EXPECT_NE(a, excluded[t]);
        EXPECT_TRUE(chosen.insert(a).second) << "atom " << a << " chosen twice";
        if (rescreen == 0) {
          EXPECT_TRUE(pool.count(a)) << "atom " << a << " is not in the pool";
        }
        S.col(j) = D.row(a).transpose();
      }
      EXPECT_EQ(got->atoms[t * k], by_score[0]);  // the first step sees every atom
      const Eigen::VectorXd least_squares = S.colPivHouseholderQr().solve(target);
      for (int j = 0; j < k; ++j) {
        EXPECT_NEAR(got->coefficients[t * k + j], least_squares[j], 1e-9 * (1 + std::abs(least_squares[j])));
      }
      std::vector<int32_t> exact;
      Eigen::VectorXd unused;
      BruteForceOmp(atoms, n, d, &x[t * d], k, false, &exact, &unused);
      differs_from_exact += excluded[t] < 0 && !std::equal(exact.begin(), exact.end(), &got->atoms[t * k]);
    }
  }
  EXPECT_GT(differs_from_exact, 0u);  // the pool is small enough to matter here
}

TEST(OmpTest, ScreenedPoolMustHoldK) {
  const std::vector<float> atoms = Random(400, 9);
  OmpOptions options;
  options.k = 8;
  options.candidates = 7;
  EXPECT_FALSE(SolveOmp({atoms.data(), 40, 10}, {atoms.data(), 1, 10}, options).ok());
  options.candidates = 8;
  EXPECT_TRUE(SolveOmp({atoms.data(), 40, 10}, {atoms.data(), 1, 10}, options).ok());
  EXPECT_EQ(OmpAtomSearchName(options), "screened: 8 candidates per token");
  options.rescreen_every = 4;
  EXPECT_EQ(OmpAtomSearchName(options), "screened: 8 candidates per token, rescreened every 4 steps");
  EXPECT_EQ(OmpAtomSearchName(OmpOptions{}), "exact");
}

TEST(OmpTest, RejectsBadShapes) {
  const std::vector<float> atoms = Random(40, 4);
  OmpOptions options;
  options.k = 5;
  EXPECT_FALSE(SolveOmp({atoms.data(), 4, 10}, {atoms.data(), 1, 10}, options).ok());  // k > atoms
  options.k = 2;
  EXPECT_FALSE(SolveOmp({atoms.data(), 4, 10}, {atoms.data(), 1, 8}, options).ok());   // dimensions
}

TEST(OutputFolderTest, RewriteJsonObjectKeepsOtherKeys) {
  absl::StatusOr<std::string> out = transplant::RewriteJsonObject(
      R"({"a": 1, "vocab_size": 10, "nested": {"x": [1, 2]}, "pad_token_id": 3})",
      {{"vocab_size", "20"}, {"pad_token_id", "null"}, {"eos_token_id", "7"}});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "{\n  \"a\": 1,\n  \"vocab_size\": 20,\n  \"nested\": {\"x\":[1,2]},\n  \"eos_token_id\": 7\n}\n");
  EXPECT_FALSE(transplant::RewriteJsonObject("[1]", {}).ok());
}

// A model folder around data/demo-tokenizer.json (byte-level BPE, 2000
// tokens, <|endoftext|> = 0) with extra added tokens, random matrices and a
// norm tensor (to check that other tensors are copied).
struct FolderSpec {
  std::vector<std::string> added;  // ids 2000, 2001, ...
  size_t rows = 0;                 // 0: tokenizer size
  bool tied = false;
  int hidden = 16;
  uint64_t seed = 1;
  std::string eos = "<|endoftext|>";
};

fs::path MakeFolder(const fs::path& dir, const FolderSpec& spec) {
  fs::create_directories(dir);
  std::string tokenizer = ReadFile(fs::path(TOKGRAFT_SOURCE_DIR) / "data" / "demo-tokenizer.json");
  std::string entries;
  for (size_t i = 0; i < spec.added.size(); ++i) {
    entries += absl::StrFormat(
        R"({"id":%d,"content":"%s","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},)",
        2000 + i, spec.added[i]);
  }
  const size_t at = tokenizer.find("\"added_tokens\":[") + std::string("\"added_tokens\":[").size();
  tokenizer.insert(at, entries);
  WriteFile(dir / "tokenizer.json", tokenizer);
  WriteFile(dir / "tokenizer_config.json", "{\"eos_token\": \"" + spec.eos + "\", \"bos_token\": \"<|endoftext|>\"}");
  const size_t rows = spec.rows ? spec.rows : 2000 + spec.added.size();
  WriteFile(dir / "config.json", absl::StrFormat(R"({"model_type": "llama", "hidden_size": %d, "vocab_size": %d, )"
                                                 R"("tie_word_embeddings": %s, "eos_token_id": 0})",
                                                 spec.hidden, rows, spec.tied ? "true" : "false"));
  const std::vector<float> embed = Random(rows * spec.hidden, spec.seed), head = Random(rows * spec.hidden, spec.seed + 100),
                           norm = Random(spec.hidden, spec.seed + 200);
  std::vector<TensorToWrite> tensors = {
      {"model.embed_tokens.weight", {int64_t(rows), spec.hidden}, DType::kBF16, embed.data()},
      {"model.norm.weight", {spec.hidden}, DType::kBF16, norm.data()}};
  if (!spec.tied) tensors.push_back({"lm_head.weight", {int64_t(rows), spec.hidden}, DType::kBF16, head.data()});
  EXPECT_TRUE(WriteSafetensors((dir / "model.safetensors").string(), tensors).ok());
  return dir;
}

class TransplantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tokgraft-transplant-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  TransplantOptions Options(TransplantMethod method = TransplantMethod::kHybrid) {
    TransplantOptions options;
    options.method = method;
    options.omp.k = 8;
    options.leave_one_out_sample = 64;
    options.threads = 1;
    return options;
  }

  // A tensor of a model folder, widened to float, and its row length.
  std::vector<float> Tensor(const fs::path& folder, const std::string& tensor, size_t* cols = nullptr) {
    auto checkpoint = CheckpointTensors::Open(folder.string());
    EXPECT_TRUE(checkpoint.ok());
    const TensorView* view = (*checkpoint)->Find(tensor);
    if (view == nullptr) {
      ADD_FAILURE() << "no tensor " << tensor << " in " << folder;
      return {};
    }
    std::vector<float> all(view->elements());
    EXPECT_TRUE(ToFloat32(*view, all.data()).ok());
    if (cols != nullptr) *cols = view->shape.back();
    return all;
  }

  std::vector<float> Row(const fs::path& folder, const std::string& tensor, size_t row) {
    size_t cols = 0;
    const std::vector<float> all = Tensor(folder, tensor, &cols);
    if ((row + 1) * cols > all.size()) return {};
    return std::vector<float>(all.begin() + row * cols, all.begin() + (row + 1) * cols);
  }

  fs::path dir_;
};

TEST_F(TransplantTest, SpecialTokensAreMatchedOneByOne) {
  // mergekit maps every additional special token to one key; each must be
  // matched (or reported unmatched) on its own.
  const fs::path base = MakeFolder(dir_ / "base", {{"<|im_start|>", "<|fim_prefix|>"}});
  const fs::path donor = MakeFolder(dir_ / "donor", {{"<|im_start|>", "<|im_end|>", "<|fim_prefix|>", "<|fim_middle|>"}});
  absl::StatusOr<TransplantReport> report = Transplant(base, donor, dir_ / "out", Options());
  ASSERT_TRUE(report.ok()) << report.status();
  std::map<std::string, SpecialTokenReport> by_content;
  for (const SpecialTokenReport& s : report->specials) by_content[s.content] = s;
  ASSERT_EQ(by_content.size(), 5u);
  EXPECT_EQ(by_content["<|endoftext|>"].base_id, 0);
  EXPECT_EQ(by_content["<|endoftext|>"].matched_by, "role");
  EXPECT_EQ(by_content["<|im_start|>"].base_id, 2000);
  EXPECT_EQ(by_content["<|im_start|>"].matched_by, "content");
  EXPECT_EQ(by_content["<|fim_prefix|>"].base_id, 2001);
  EXPECT_EQ(by_content["<|im_end|>"].base_id, -1);
  EXPECT_EQ(by_content["<|fim_middle|>"].base_id, -1);
  // Each matched special token has its own base row.
  EXPECT_EQ(Row(dir_ / "out", "model.embed_tokens.weight", 2000), Row(base, "model.embed_tokens.weight", 2000));
  EXPECT_EQ(Row(dir_ / "out", "model.embed_tokens.weight", 2002), Row(base, "model.embed_tokens.weight", 2001));
  size_t unmatched_warnings = 0;
  for (const std::string& w : report->warnings) unmatched_warnings += w.find("no counterpart") != std::string::npos;
  EXPECT_EQ(unmatched_warnings, 2u);
}

TEST_F(TransplantTest, DonorIdsPastItsRowsGetRows) {
  // mergekit issue 657: added tokens whose ids run past the embedding rows.
  const fs::path base = MakeFolder(dir_ / "base", {});
  FolderSpec spec{{"<|a|>", "<|b|>", "<|c|>"}};
  spec.rows = 2000;
  const fs::path donor = MakeFolder(dir_ / "donor", spec);
  absl::StatusOr<TransplantReport> report = Transplant(base, donor, dir_ / "out", Options());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->output_rows, 2003u);
  EXPECT_EQ(report->donor_ids_past_rows, 3u);
  for (float v : Row(dir_ / "out", "lm_head.weight", 2002)) EXPECT_TRUE(std::isfinite(v));
}

TEST_F(TransplantTest, PaddedMatricesKeepTheirSize) {
  // mergekit issue 425: the vocabulary size was cut to the tokenizer's length.
  const fs::path base = MakeFolder(dir_ / "base", {});
  FolderSpec spec;
  spec.rows = 2048;
  const fs::path donor = MakeFolder(dir_ / "donor", spec);
  absl::StatusOr<TransplantReport> report = Transplant(base, donor, dir_ / "out", Options(TransplantMethod::kOmp));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->output_rows, 2048u);
  EXPECT_EQ(report->padding_rows, 48u);
  auto config = ReadFile(dir_ / "out" / "config.json");
  EXPECT_NE(config.find("\"vocab_size\": 2048"), std::string::npos) << config;
}

TEST_F(TransplantTest, ReportSaysWhenTheAtomSearchWasApproximate) {
  FolderSpec donor_spec;
  donor_spec.added = {"<|x|>", "<|y|>"};
  donor_spec.seed = 3;
  const fs::path base = MakeFolder(dir_ / "base", {});
  const fs::path donor = MakeFolder(dir_ / "donor", donor_spec);
  absl::StatusOr<TransplantReport> exact = Transplant(base, donor, dir_ / "exact", Options(TransplantMethod::kOmp));
  ASSERT_TRUE(exact.ok()) << exact.status();
  EXPECT_NE(exact->ToJson().find("\"atom_search\": \"exact\", \"candidates\": null"), std::string::npos);
  EXPECT_EQ(exact->Summary().find("APPROXIMATE"), std::string::npos);
  TransplantOptions options = Options(TransplantMethod::kOmp);
  options.omp.candidates = 16;
  options.omp.rescreen_every = 4;
  absl::StatusOr<TransplantReport> screened = Transplant(base, donor, dir_ / "screened", options);
  ASSERT_TRUE(screened.ok()) << screened.status();
  const std::string json = ReadFile(dir_ / "screened" / "transplant_report.json");
  EXPECT_NE(json.find("\"atom_search\": \"screened\", \"candidates\": 16, \"rescreen_every\": 4"),
            std::string::npos) << json;
  EXPECT_NE(screened->Summary().find("screened: 16 candidates per token, rescreened every 4 steps (APPROXIMATE"),
            std::string::npos) << screened->Summary();
}

TEST_F(TransplantTest, EveryTieCombinationCopiesTheRightMatrix) {
  for (bool base_tied : {false, true}) {
    for (bool donor_tied : {false, true}) {
      SCOPED_TRACE(absl::StrFormat("base tied %d, donor tied %d", base_tied, donor_tied));
      FolderSpec base_spec, donor_spec;
      donor_spec.added = {"<|x|>"};  // one row to estimate
      base_spec.tied = base_tied;
      donor_spec.tied = donor_tied;
      donor_spec.hidden = 24;  // different widths work for every method
      donor_spec.seed = 7;
      const std::string tag = absl::StrFormat("%d%d", base_tied, donor_tied);
      const fs::path base = MakeFolder(dir_ / ("base" + tag), base_spec);
      const fs::path donor = MakeFolder(dir_ / ("donor" + tag), donor_spec);
      const fs::path out = dir_ / ("out" + tag);
      absl::StatusOr<TransplantReport> report = Transplant(base, donor, out, Options());
      ASSERT_TRUE(report.ok()) << report.status();
      auto checkpoint = CheckpointTensors::Open(out.string());
      ASSERT_TRUE(checkpoint.ok());
      EXPECT_EQ((*checkpoint)->Find("lm_head.weight") != nullptr, !base_tied);
      EXPECT_NE(ReadFile(out / "config.json").find(base_tied ? "\"tie_word_embeddings\": true"
                                                               : "\"tie_word_embeddings\": false"),
                std::string::npos);
      // Token 300 is shared: embedding from the base's embedding, output
      // row from the base's output matrix (tokensurgeon's flags look swapped).
      EXPECT_EQ(Row(out, "model.embed_tokens.weight", 300), Row(base, "model.embed_tokens.weight", 300));
      if (!base_tied) {
        EXPECT_EQ(Row(out, "lm_head.weight", 300), Row(base, "lm_head.weight", 300));
      }
      EXPECT_EQ(Tensor(out, "model.norm.weight"), Tensor(base, "model.norm.weight"));
    }
  }
}

TEST_F(TransplantTest, NothingSharedIsAnError) {
  const fs::path base = MakeFolder(dir_ / "base", {});
  fs::create_directories(dir_ / "donor");
  WriteFile(dir_ / "donor" / "tokenizer.json",
            R"({"model":{"type":"BPE","vocab":{"qqqq1":0,"qqqq2":1},"merges":[]}})");
  WriteFile(dir_ / "donor" / "config.json", R"({"hidden_size": 4, "vocab_size": 2})");
  const std::vector<float> embed(8, 1.0f);
  ASSERT_TRUE(WriteSafetensors((dir_ / "donor" / "model.safetensors").string(),
                               {{"model.embed_tokens.weight", {2, 4}, DType::kF32, embed.data()}})
                  .ok());
  absl::StatusOr<TransplantReport> report = Transplant(base, dir_ / "donor", dir_ / "out", Options());
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("share no token"), std::string::npos) << report.status();
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(TransplantTest, ExistingOutputIsKeptUnlessForced) {
  const fs::path base = MakeFolder(dir_ / "base", {});
  const fs::path donor = MakeFolder(dir_ / "donor", {{"<|x|>"}});
  fs::create_directories(dir_ / "out");
  WriteFile(dir_ / "out" / "keep", "x");
  TransplantOptions options = Options(TransplantMethod::kFvt);
  absl::StatusOr<TransplantReport> report = Transplant(base, donor, dir_ / "out", options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(fs::exists(dir_ / "out" / "keep"));
  options.overwrite = true;
  ASSERT_TRUE(Transplant(base, donor, dir_ / "out", options).ok());
  EXPECT_FALSE(fs::exists(dir_ / "out" / "keep"));
  EXPECT_TRUE(fs::exists(dir_ / "out" / "transplant_report.json"));
  size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) entries += entry.path().filename().string()[0] == '.';
  EXPECT_EQ(entries, 0u) << "a staging folder was left behind";
}

// The committed tiny checkpoints: byte-level BPE (tiny-a, untied, padded to
// 4160 rows) and sentencepiece-style metaspace BPE with byte fallback
// (tiny-b, tied, other hidden size).
const fs::path kTinyA = fs::path(TOKGRAFT_SOURCE_DIR) / "data" / "model-tiny-a";
const fs::path kTinyB = fs::path(TOKGRAFT_SOURCE_DIR) / "data" / "model-tiny-b";

TEST(AlignmentTest, CanonicalBytesMeetAcrossFamilies) {
  absl::StatusOr<transplant::ModelFolder> a = LoadModelFolder(kTinyA.string(), "base");
  absl::StatusOr<transplant::ModelFolder> b = LoadModelFolder(kTinyB.string(), "donor");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  const transplant::VocabularyAlignment alignment = transplant::AlignVocabularies(*a, *b);
  auto shared_base_of = [&](const std::string& donor_token) -> int64_t {
    std::optional<uint32_t> id = b->tokenizer->TokenToId(donor_token);
    return id ? alignment.base_row[*id] : -2;
  };
  // "▁the" (metaspace) is "Ġthe" (byte-level): " the" with a word start.
  ASSERT_TRUE(a->tokenizer->TokenToId("Ġthe").has_value());
  EXPECT_EQ(shared_base_of("▁the"), *a->tokenizer->TokenToId("Ġthe"));
  // A byte-fallback token is its byte: <0x0A> is "Ċ".
  EXPECT_EQ(shared_base_of("<0x0A>"), *a->tokenizer->TokenToId("Ċ"));
  // A continuation piece is not a word start.
  if (b->tokenizer->TokenToId("ing") && a->tokenizer->TokenToId("ing")) {
    EXPECT_EQ(shared_base_of("ing"), *a->tokenizer->TokenToId("ing"));
  }
  EXPECT_GT(alignment.shared_donor.size(), 1000u);
}

TEST(EndToEndTest, TinyModelsTransplantAndLoad) {
  const fs::path out = fs::temp_directory_path() / ("tokgraft-tiny-transplant-" + std::to_string(::getpid()));
  fs::remove_all(out);
  TransplantOptions options;
  options.leave_one_out_sample = 128;
  absl::StatusOr<TransplantReport> report = Transplant(kTinyA.string(), kTinyB.string(), out.string(), options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->output_rows, 4096u);
  EXPECT_EQ(report->base_hidden, 96);
  EXPECT_EQ(report->donor_hidden, 64);
  absl::StatusOr<std::unique_ptr<TransformerLM>> model = TransformerLM::Load(out.string());
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->vocab_size(), 4096u);
  EXPECT_EQ((*model)->config().hidden_size, 96);
  simdjson::dom::parser parser;
  simdjson::padded_string json;
  ASSERT_EQ(simdjson::padded_string::load((out / "transplant_report.json").string()).get(json), simdjson::SUCCESS);
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS);
  int64_t shared = 0;
  ASSERT_EQ(doc["vocabulary"]["shared"].get_int64().get(shared), simdjson::SUCCESS);
  EXPECT_EQ(static_cast<size_t>(shared), report->shared);
  fs::remove_all(out);
}

}  // namespace
}  // namespace tokgraft
