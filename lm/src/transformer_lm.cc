// The forward pass of Llama-family models (HF LlamaForCausalLM; Mistral's
// sliding window; Qwen2's q/k/v biases) with a KV cache, in float32 with
// Eigen. Several sequences are evaluated together: their rows are stacked for
// every matrix product, and only attention is done per sequence.
#include <omp.h>

#include <atomic>
#include <cmath>
#include <filesystem>

#include "Eigen/Core"
#include "absl/strings/str_format.h"
#include "tokgraft/lm.h"
#include "transformer_weights.h"

extern "C" void openblas_set_num_threads(int threads);

namespace tokgraft {
namespace {

struct KvState : LmState {
  std::vector<Matrix> keys, values;  // per layer: positions x (kv heads * head_dim)
  size_t length() const override { return keys.empty() ? 0 : static_cast<size_t>(keys[0].rows()); }
};

struct Workspace {
  Matrix x, h, q, k, v, attention, projected, gate, up;
};

// One sequence's part of a batched forward pass.
struct Segment {
  KvState* state;
  absl::Span<const uint32_t> tokens;
  int row;  // first row in the stacked activations
};

void RmsNorm(const Matrix& x, const Vector& weight, double eps, Matrix* out) {
  out->resize(x.rows(), x.cols());
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const float mean_square = x.row(r).squaredNorm() / static_cast<float>(x.cols());
    const float scale = 1.0f / std::sqrt(mean_square + static_cast<float>(eps));
    out->row(r) = (x.row(r) * scale).cwiseProduct(weight);
  }
}

void Apply(const Linear& linear, const Matrix& x, Matrix* out) {
  out->noalias() = x * linear.weight.transpose();
  if (linear.bias.size()) out->rowwise() += linear.bias;
}

class LlamaLM : public TransformerLM {
 public:
  LlamaLM(TransformerConfig config, TransformerWeights weights, int threads)
      : config_(std::move(config)), weights_(std::move(weights)), threads_(threads) {
    const int half = config_.head_dim / 2;
    inv_freq_.resize(half);
    for (int i = 0; i < half; ++i) {
      inv_freq_[i] = 1.0f / std::pow(static_cast<float>(config_.rope_theta),
                                     static_cast<float>(2 * i) / static_cast<float>(config_.head_dim));
    }
  }

  const TransformerConfig& config() const override { return config_; }
  size_t vocab_size() const override { return static_cast<size_t>(config_.vocab_size); }

  std::unique_ptr<LmState> NewState() const override {
    auto state = std::make_unique<KvState>();
    const int kv_dim = config_.num_kv_heads * config_.head_dim;
    state->keys.assign(config_.num_layers, Matrix(0, kv_dim));
    state->values.assign(config_.num_layers, Matrix(0, kv_dim));
    return state;
  }

  std::unique_ptr<LmState> Fork(const LmState& state) const override {
    return std::make_unique<KvState>(static_cast<const KvState&>(state));
  }

  absl::Status Append(LmState* state, absl::Span<const uint32_t> tokens, std::vector<float>* logprobs) const override {
    std::vector<Segment> segments = {{static_cast<KvState*>(state), tokens, 0}};
    std::vector<std::vector<float>> out(1);
    if (absl::Status s = Forward(segments, logprobs ? &out : nullptr); !s.ok()) return s;
    if (logprobs) *logprobs = std::move(out[0]);
    return absl::OkStatus();
  }

  absl::Status ScoreBatch(const std::vector<std::vector<uint32_t>>& sequences,
                          std::vector<std::vector<float>>* logprobs) const override {
    return ScoreFresh(sequences, logprobs, nullptr);
  }

  absl::Status ScoreTargets(const std::vector<std::vector<uint32_t>>& sequences,
                            const std::vector<std::vector<uint32_t>>& targets,
                            std::vector<std::vector<float>>* logprobs) const override {
    if (targets.size() != sequences.size()) {
      return absl::InvalidArgumentError("ScoreTargets: one target list per sequence is needed");
    }
    return ScoreFresh(sequences, logprobs, &targets);
  }

 private:
  absl::Status ScoreFresh(const std::vector<std::vector<uint32_t>>& sequences,
                          std::vector<std::vector<float>>* logprobs,
                          const std::vector<std::vector<uint32_t>>* targets) const {
    std::vector<std::unique_ptr<LmState>> states;
    std::vector<Segment> segments;
    int row = 0;
    for (const std::vector<uint32_t>& s : sequences) {
      states.push_back(NewState());
      segments.push_back({static_cast<KvState*>(states.back().get()), s, row});
      row += static_cast<int>(s.size());
    }
    logprobs->resize(sequences.size());
    return Forward(segments, logprobs, targets);
  }

  absl::Status Check(const std::vector<Segment>& segments) const {
    for (const Segment& s : segments) {
      for (uint32_t id : s.tokens) {
        if (id >= static_cast<uint32_t>(config_.vocab_size)) {
          return absl::InvalidArgumentError(
              absl::StrFormat("token id %d is outside the model's vocabulary (%d)", id, config_.vocab_size));
        }
      }
    }
    return absl::OkStatus();
  }

  // Rotates pairs (j, j + d/2) of every head of rows [row, row + n) by the
  // angle of their position (first position `start`).
  void Rope(Matrix* x, int heads, int row, int n, size_t start) const {
    const int d = config_.head_dim, half = d / 2;
    for (int r = 0; r < n; ++r) {
      const float position = static_cast<float>(start + r);
      float* values = x->row(row + r).data();
      for (int i = 0; i < half; ++i) {
        const float angle = position * inv_freq_[i];
        const float c = std::cos(angle), s = std::sin(angle);
        for (int h = 0; h < heads; ++h) {
          float* head = values + h * d;
          const float a = head[i], b = head[i + half];
          head[i] = a * c - b * s;
          head[i + half] = b * c + a * s;
        }
      }
    }
  }

  void Attention(const Matrix& q, const std::vector<Segment>& segments, int layer, Matrix* out) const {
    const int d = config_.head_dim, heads = config_.num_heads, group = heads / config_.num_kv_heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    out->resize(q.rows(), q.cols());
    const int tasks = static_cast<int>(segments.size()) * heads;
    // Threads pay off only when there is work to share (not when
    // generating one token at a time).
#pragma omp parallel for schedule(dynamic) num_threads(threads_) if (q.rows() >= 16)
    for (int task = 0; task < tasks; ++task) {
      const Segment& seg = segments[task / heads];
      const int h = task % heads, kv = h / group;
      const int n = static_cast<int>(seg.tokens.size());
      const Matrix& keys = seg.state->keys[layer];
      const Matrix& values = seg.state->values[layer];
      const int total = static_cast<int>(keys.rows());
      const int start = total - n;  // position of the first new token
      thread_local Matrix scores;
      scores.noalias() = q.block(seg.row, h * d, n, d) * keys.block(0, kv * d, total, d).transpose();
      for (int i = 0; i < n; ++i) {
        const int position = start + i;
        const int first = config_.sliding_window > 0 ? std::max(0, position - config_.sliding_window + 1) : 0;
        auto row = scores.row(i);
        auto visible = row.segment(first, position - first + 1).array();
        visible *= scale;
        visible = (visible - visible.maxCoeff()).exp();
        visible /= visible.sum();
        row.head(first).setZero();
        row.tail(total - position - 1).setZero();
      }
      out->block(seg.row, h * d, n, d).noalias() = scores * values.block(0, kv * d, total, d);
    }
  }

  // Evaluates the segments. With `targets` (one per token), logprobs[s]
  // receives only the log-probability of each target; else whole rows.
  absl::Status Forward(const std::vector<Segment>& segments, std::vector<std::vector<float>>* logprobs,
                       const std::vector<std::vector<uint32_t>>* targets = nullptr) const {
    if (absl::Status s = Check(segments); !s.ok()) return s;
    if (targets) {
      for (size_t s = 0; s < segments.size(); ++s) {
        if ((*targets)[s].size() != segments[s].tokens.size()) {
          return absl::InvalidArgumentError("ScoreTargets: one target per input token is needed");
        }
        for (uint32_t id : (*targets)[s]) {
          if (id >= static_cast<uint32_t>(config_.vocab_size)) {
            return absl::InvalidArgumentError(
                absl::StrFormat("target id %d is outside the model's vocabulary (%d)", id, config_.vocab_size));
          }
        }
      }
    }
    int rows = 0;
    for (const Segment& s : segments) rows += static_cast<int>(s.tokens.size());
    // OpenBLAS's thread count is process-wide. A product with a handful of
    // rows (generation) is slower shared between threads than on one.
    const int blas_threads = rows >= 16 ? threads_ : 1;
    static std::atomic<int> current_blas_threads{0};
    if (current_blas_threads.exchange(blas_threads) != blas_threads) openblas_set_num_threads(blas_threads);
    if (rows == 0) {
      if (logprobs) {
        for (auto& l : *logprobs) l.clear();
      }
      return absl::OkStatus();
    }
    const TransformerConfig& c = config_;
    // Activations live in per-thread buffers reused across calls: fresh
    // allocations of this size cost page faults, which dominate otherwise.
    thread_local Workspace workspace;
    Matrix& x = workspace.x;
    x.resize(rows, c.hidden_size);
    for (const Segment& s : segments) {
      for (size_t i = 0; i < s.tokens.size(); ++i) x.row(s.row + i) = weights_.embed.row(s.tokens[i]);
    }
    Matrix &h = workspace.h, &q = workspace.q, &k = workspace.k, &v = workspace.v;
    Matrix &attention = workspace.attention, &projected = workspace.projected;
    Matrix &gate = workspace.gate, &up = workspace.up;
    for (int l = 0; l < c.num_layers; ++l) {
      const TransformerLayer& layer = weights_.layers[l];
      RmsNorm(x, layer.input_norm, c.rms_norm_eps, &h);
      Apply(layer.q, h, &q);
      Apply(layer.k, h, &k);
      Apply(layer.v, h, &v);
      for (const Segment& s : segments) {
        const int n = static_cast<int>(s.tokens.size());
        Matrix& keys = s.state->keys[l];
        Matrix& values = s.state->values[l];
        const Eigen::Index old = keys.rows();
        Rope(&q, c.num_heads, s.row, n, static_cast<size_t>(old));
        Rope(&k, c.num_kv_heads, s.row, n, static_cast<size_t>(old));
        keys.conservativeResize(old + n, Eigen::NoChange);
        values.conservativeResize(old + n, Eigen::NoChange);
        keys.bottomRows(n) = k.middleRows(s.row, n);
        values.bottomRows(n) = v.middleRows(s.row, n);
      }
      Attention(q, segments, l, &attention);
      Apply(layer.o, attention, &projected);
      x += projected;
      RmsNorm(x, layer.post_attention_norm, c.rms_norm_eps, &h);
      Apply(layer.gate, h, &gate);
      Apply(layer.up, h, &up);
      gate = gate.array() / (1.0f + (-gate.array()).exp()) * up.array();
      Apply(layer.down, gate, &projected);
      x += projected;
    }
    if (logprobs == nullptr) return absl::OkStatus();
    RmsNorm(x, weights_.final_norm, c.rms_norm_eps, &h);
    // Logits in chunks of rows, so that no vocabulary-wide buffer larger than
    // a chunk is ever allocated (fresh large allocations cost page faults).
    constexpr int kChunkRows = 128;
    const Eigen::Index vocab = c.vocab_size;
    thread_local std::vector<float> chunk;
    for (size_t s = 0; s < segments.size(); ++s) {
      const Segment& seg = segments[s];
      const int n = static_cast<int>(seg.tokens.size());
      std::vector<float>& out = (*logprobs)[s];
      out.resize(targets ? n : n * vocab);
      for (int first = 0; first < n; first += kChunkRows) {
        const int m = std::min(kChunkRows, n - first);
        if (targets) chunk.resize(static_cast<size_t>(m) * vocab);
        Eigen::Map<Matrix> logits(targets ? chunk.data() : out.data() + first * vocab, m, vocab);
        logits.noalias() = h.middleRows(seg.row + first, m) * weights_.output().transpose();
        // Log-softmax per row, vectorized in float32: with the maximum
        // subtracted first it agrees with the reference's float64 to ~1e-6.
#pragma omp parallel for num_threads(threads_) if (m >= 16)
        for (int r = 0; r < m; ++r) {
          auto row = logits.row(r).array();
          row -= row.maxCoeff();
          row -= std::log(row.exp().sum());
        }
        if (targets) {
          for (int r = 0; r < m; ++r) out[first + r] = logits(r, (*targets)[s][first + r]);
        }
      }
    }
    return absl::OkStatus();
  }

  TransformerConfig config_;
  TransformerWeights weights_;
  int threads_;
  std::vector<float> inv_freq_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<TransformerLM>> TransformerLM::Load(const std::string& folder,
                                                                 const LoadModelOptions& options) {
  const std::string config_path = (std::filesystem::path(folder) / "config.json").string();
  absl::StatusOr<TransformerConfig> config = ReadTransformerConfig(config_path);
  if (!config.ok()) return config.status();
  absl::StatusOr<TransformerWeights> weights = LoadTransformerWeights(folder, *config);
  if (!weights.ok()) return weights.status();
  const int threads = options.threads > 0 ? options.threads : omp_get_num_procs();
  return std::unique_ptr<TransformerLM>(new LlamaLM(*std::move(config), *std::move(weights), threads));
}

}  // namespace tokgraft
