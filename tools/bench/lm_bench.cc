// Speed of the LM runtime next to this machine's GEMM peak, in one run:
// scoring 512-token windows (1 and 2 threads), generating one token at a time
// with the KV cache, and OpenBLAS sgemm on large square matrices (2 threads).
// Prints one JSON object; tools/bench/lm_bench.py turns it into the README table.
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tokgraft/lm.h"
#include "tokgraft/tokenizer.h"

extern "C" void openblas_set_num_threads(int);

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double GemmGflops(int n, int reps) {
  openblas_set_num_threads(2);
  std::vector<float> a(size_t(n) * n, 0.5f), b(size_t(n) * n, 0.25f), c(size_t(n) * n);
  std::vector<double> rates;
  for (int r = 0; r < reps; ++r) {
    const auto start = Clock::now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
    rates.push_back(2.0 * n * n * n / Seconds(start) / 1e9);
  }
  return Median(rates);
}

// Multiply-adds per token of the forward pass at context position `position`.
double FlopsPerToken(const tokgraft::TransformerConfig& c, double position) {
  const double q = double(c.num_heads) * c.head_dim, kv = double(c.num_kv_heads) * c.head_dim;
  const double layer = c.hidden_size * (2 * q + 2 * kv) + 3.0 * c.hidden_size * c.intermediate_size +
                       2.0 * q * position;  // attention: scores and weighted values
  return 2.0 * (c.num_layers * layer + double(c.hidden_size) * c.vocab_size);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: lm_bench MODEL_DIR CORPUS.txt [WINDOWS]\n");
    return 2;
  }
  const std::string model_dir = argv[1];
  const int windows = argc > 3 ? std::atoi(argv[3]) : 16;
  constexpr int kContext = 512;
  std::ifstream in(argv[2], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto tokenizer = tokgraft::LoadTokenizer(model_dir);
  if (!tokenizer.ok()) {
    std::fprintf(stderr, "%s\n", std::string(tokenizer.status().message()).c_str());
    return 2;
  }
  std::vector<uint32_t> stream;
  for (const std::string& doc : tokgraft::SplitCorpusDocuments(text.str())) {
    auto encoding = (*tokenizer)->Encode(doc);
    if (!encoding.ok()) continue;
    stream.push_back(0);
    stream.insert(stream.end(), encoding->ids.begin(), encoding->ids.end());
    if (stream.size() >= size_t(windows) * kContext) break;
  }
  std::vector<std::vector<uint32_t>> batch;
  for (int w = 0; w < windows && size_t(w + 1) * kContext <= stream.size(); ++w) {
    batch.emplace_back(stream.begin() + w * kContext, stream.begin() + (w + 1) * kContext);
  }
  std::printf("{\"windows\":%zu,\"context\":%d", batch.size(), kContext);
  const auto load_start = Clock::now();
  double load_seconds = 0;
  for (int threads : {1, 2}) {
    tokgraft::LoadModelOptions options;
    options.threads = threads;
    auto model = tokgraft::TransformerLM::Load(model_dir, options);
    if (!model.ok()) {
      std::fprintf(stderr, "%s\n", std::string(model.status().message()).c_str());
      return 2;
    }
    if (threads == 1) {
      load_seconds = Seconds(load_start);
      std::printf(",\"load_seconds\":%.3f,\"flops_per_token\":%.0f", load_seconds,
                  FlopsPerToken((*model)->config(), kContext / 2.0));
    }
    std::vector<double> rates;
    for (int rep = 0; rep < 3; ++rep) {
      // Scoring as eval does it: windows of 4, the log-probability of each
      // next token kept.
      std::vector<std::vector<float>> logprobs;
      const auto start = Clock::now();
      for (size_t i = 0; i < batch.size(); i += 4) {
        std::vector<std::vector<uint32_t>> part(batch.begin() + i, batch.begin() + std::min(batch.size(), i + 4));
        std::vector<std::vector<uint32_t>> targets;
        for (const auto& window : part) targets.emplace_back(window.begin() + 1, window.end());
        for (auto& window : part) window.pop_back();
        if (!(*model)->ScoreTargets(part, targets, &logprobs).ok()) return 1;
      }
      rates.push_back(batch.size() * (kContext - 1) / Seconds(start));
    }
    std::printf(",\"score_tokens_per_s_%dt\":%.1f", threads, Median(rates));
    // Generation: a 32-token prompt, then 256 tokens one at a time (greedy).
    std::vector<double> gen;
    for (int rep = 0; rep < 3; ++rep) {
      auto state = (*model)->NewState();
      std::vector<float> lp;
      if (!(*model)->Append(state.get(), absl::MakeSpan(stream).subspan(0, 32), &lp).ok()) return 1;
      const size_t vocab = (*model)->vocab_size();
      const auto start = Clock::now();
      for (int t = 0; t < 256; ++t) {
        const float* last = lp.data() + lp.size() - vocab;
        const uint32_t next = static_cast<uint32_t>(std::max_element(last, last + vocab) - last);
        if (!(*model)->Append(state.get(), std::vector<uint32_t>{next}, &lp).ok()) return 1;
      }
      gen.push_back(256 / Seconds(start));
    }
    std::printf(",\"generate_tokens_per_s_%dt\":%.1f", threads, Median(gen));
  }
  std::printf(",\"sgemm_gflops_2t\":%.1f}\n", GemmGflops(2048, 5));
  return 0;
}
