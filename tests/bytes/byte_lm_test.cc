// ByteLM against models whose byte-level distribution is known exactly: a
// model that puts all its mass on canonical encodings of a finite set of texts
// (its byte-level probabilities are the texts' weights), and a brute-force
// enumeration of token sequences for a model that does not.
#include "tokgraft/byte_lm.h"

#include <cmath>
#include <map>
#include <random>
#include <set>

#include "gtest/gtest.h"
#include "tokenizer/test_tokenizers.h"
#include "tokgraft/lm.h"

namespace tokgraft {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double LogSumExp(const ByteLogProbs& v) {
  double m = kNegInf;
  for (double x : v) m = std::max(m, x);
  if (m == kNegInf) return m;
  double s = 0;
  for (double x : v) s += std::exp(x - m);
  return m + std::log(s);
}

// A TokenLM whose sequences are exactly [eos] + encoding + [eos] for a set of
// texts with weights: p(next | prefix) = weight of the texts continuing so /
// weight of the texts with the prefix. It gives nothing to other sequences.
class TextSetLM : public TokenLM {
 public:
  TextSetLM(size_t vocab, uint32_t eos) : vocab_(vocab), eos_(eos) { nodes_.emplace_back(); }
  void Add(const std::vector<uint32_t>& tokens, double weight) {
    size_t n = 0;
    nodes_[0].weight += weight;
    std::vector<uint32_t> seq = tokens;
    seq.push_back(eos_);
    for (uint32_t t : seq) {
      auto it = nodes_[n].children.find(t);
      if (it == nodes_[n].children.end()) {
        nodes_.emplace_back();
        it = nodes_[n].children.emplace(t, nodes_.size() - 1).first;
      }
      n = it->second;
      nodes_[n].weight += weight;
    }
    total_ += weight;
  }
  double total() const { return total_; }

  size_t vocab_size() const override { return vocab_; }
  std::unique_ptr<LmState> NewState() const override { return std::make_unique<State>(); }
  std::unique_ptr<LmState> Fork(const LmState& s) const override {
    return std::make_unique<State>(static_cast<const State&>(s));
  }
  absl::Status Append(LmState* state, absl::Span<const uint32_t> tokens, std::vector<float>* logprobs) const override {
    auto* s = static_cast<State*>(state);
    if (logprobs) logprobs->clear();
    for (uint32_t t : tokens) {
      if (s->length_ == 0) {
        s->node = 0;  // the first input is the document start
      } else if (s->node >= 0) {
        auto it = nodes_[s->node].children.find(t);
        s->node = it == nodes_[s->node].children.end() ? -1 : static_cast<int>(it->second);
      }
      ++s->length_;
      if (!logprobs) continue;
      const size_t at = logprobs->size();
      logprobs->resize(at + vocab_, -std::numeric_limits<float>::infinity());
      if (s->node < 0) continue;
      const Node& node = nodes_[s->node];
      // Log-probabilities in double, stored in float: the test compares sums
      // of the stored values.
      for (const auto& [child, index] : node.children) {
        (*logprobs)[at + child] = static_cast<float>(std::log(nodes_[index].weight / node.weight));
      }
    }
    return absl::OkStatus();
  }

  // log p of tokens + eos, from the stored float values.
  double SequenceLogProb(const std::vector<uint32_t>& tokens) const {
    std::unique_ptr<LmState> s = NewState();
    std::vector<float> next;
    double total = 0;
    std::vector<uint32_t> seq = {eos_};
    seq.insert(seq.end(), tokens.begin(), tokens.end());
    for (size_t i = 0; i < seq.size(); ++i) {
      EXPECT_TRUE(Append(s.get(), {seq[i]}, &next).ok());
      total += next[i + 1 < seq.size() ? seq[i + 1] : eos_];
    }
    return total;
  }

 private:
  struct Node {
    double weight = 0;
    std::map<uint32_t, size_t> children;
  };
  struct State : LmState {
    size_t length() const override { return length_; }
    size_t length_ = 0;
    int node = -1;
  };
  size_t vocab_;
  uint32_t eos_;
  double total_ = 0;
  std::vector<Node> nodes_;
};

// Random and adversarial texts: letters, digits, whitespace runs, contractions,
// multi-byte characters, special-token text.
std::vector<std::string> TestTexts(size_t count, uint64_t seed) {
  const std::vector<std::string> atoms = {
      "a", "b", "the", " the", "s", "'s", "'re", "'", "don't", " ", "  ", "   ", "\n", "\n\n", "\t", " \n", "1",
      "12", "2024", "3.14", "1234567", "é", "über", "字", "日本語", "🙂", "👍🏽", "!", "?!", "...", "(", ")", "_",
      "<|endoftext|>", "<|endof", "def", " foo", "()", ":", "\r\n", "x=1", "中文", "ß", "Ω", "--", "é1"};
  std::mt19937_64 rng(seed);
  std::vector<std::string> texts = {"", " ", "a", "hello world", "it's", "they're", "a  b", "a \n b", "x   \n\n  y",
                                    "<|endoftext|>", "12 345", "é", "🙂🙂", "  leading", "trailing  "};
  while (texts.size() < count) {
    std::string t;
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) t += atoms[rng() % atoms.size()];
    texts.push_back(t);
  }
  return texts;
}

class ByteLMTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tokenizer_ = testing::LoadCommitted("data/demo-tokenizer.json");
    ASSERT_NE(tokenizer_, nullptr);
    eos_ = *tokenizer_->TokenToId("<|endoftext|>");
  }
  std::vector<uint32_t> Encode(const std::string& text) {
    EncodeOptions options;
    options.split_special_tokens = true;
    absl::StatusOr<Encoding> e = tokenizer_->Encode(text, options);
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? e->ids : std::vector<uint32_t>{};
  }
  std::unique_ptr<Tokenizer> tokenizer_;
  uint32_t eos_ = 0;
};

TEST_F(ByteLMTest, CanonicalModelIsExactOnThousandsOfTexts) {
  const std::vector<std::string> texts = TestTexts(2000, 7);
  TextSetLM lm(tokenizer_->Info().vocab_size, eos_);
  std::mt19937_64 rng(3);
  std::set<std::string> distinct(texts.begin(), texts.end());
  for (const std::string& t : distinct) lm.Add(Encode(t), 1 + rng() % 5);
  absl::StatusOr<std::unique_ptr<ByteLM>> model = ByteLM::Create(&lm, tokenizer_.get(), eos_);
  ASSERT_TRUE(model.ok()) << model.status();
  size_t checked_positions = 0;
  for (const std::string& text : distinct) {
    ASSERT_EQ(*(*model)->CanonicalEncoding(text), Encode(text)) << text;
    ByteState state = (*model)->Start();
    for (size_t i = 0; i <= text.size(); ++i) {
      absl::StatusOr<ByteLogProbs> next = state.NextLogProbs();
      ASSERT_TRUE(next.ok()) << next.status();
      // Z = Q(x): the next-byte distribution sums to 1 before normalizing, up
      // to the model's own normalization, which float log-probabilities hold
      // only to about 1e-7 (the exact checks are on Q, below and in
      // AgreesWithBruteForceEnumeration).
      ASSERT_NEAR(std::exp(LogSumExp(*next) - state.LogProb()), 1.0, 1e-6) << "text " << text << " at " << i;
      ++checked_positions;
      if (i == text.size()) {
        const double token_level = lm.SequenceLogProb(Encode(text));
        ASSERT_NEAR(std::exp((*next)[kEndOfText] - token_level), 1.0, 1e-9) << text;
        break;
      }
      ASSERT_TRUE(state.Push(static_cast<uint8_t>(text[i])).ok());
    }
  }
  EXPECT_GT(checked_positions, 20000u);
}

TEST_F(ByteLMTest, ScoreOfCompleteTextEqualsTokenLevel) {
  const std::vector<std::string> texts = TestTexts(300, 11);
  TextSetLM lm(tokenizer_->Info().vocab_size, eos_);
  std::set<std::string> distinct(texts.begin(), texts.end());
  for (const std::string& t : distinct) lm.Add(Encode(t), 1);
  absl::StatusOr<std::unique_ptr<ByteLM>> model = ByteLM::Create(&lm, tokenizer_.get(), eos_);
  ASSERT_TRUE(model.ok());
  for (const std::string& text : distinct) {
    absl::StatusOr<ByteScore> score = ScoreBytes(**model, text);
    ASSERT_TRUE(score.ok()) << score.status();
    const double bits = score->bits + score->end_bits;
    const double expected = -lm.SequenceLogProb(Encode(text)) / std::log(2.0);
    // The chain rule renormalizes at every byte: float log-probs (above).
    ASSERT_NEAR(bits, expected, 1e-6 * std::max(1.0, expected)) << text;
    absl::StatusOr<double> direct = (*model)->LogProb(text, true);
    ASSERT_NEAR(*direct / -std::log(2.0), expected, 1e-9 * std::max(1.0, expected)) << text;
  }
}

// All valid token sequences over a small alphabet: prefixes of the canonical
// encodings of every string of up to kMaxLength characters.
constexpr int kMaxLength = 5;
const char* const kAlphabet[] = {"a", "b", "s", " ", "'", "1", "!", "\n"};

TEST_F(ByteLMTest, AgreesWithBruteForceEnumeration) {
  std::set<std::vector<uint32_t>> valid;
  std::vector<std::string> strings = {""};
  for (int len = 1; len <= kMaxLength; ++len) {
    std::vector<std::string> longer;
    for (const std::string& s : strings) {
      if (static_cast<int>(s.size()) != len - 1) continue;
      for (const char* c : kAlphabet) longer.push_back(s + c);
    }
    strings.insert(strings.end(), longer.begin(), longer.end());
  }
  for (const std::string& s : strings) {
    const std::vector<uint32_t> ids = Encode(s);
    for (size_t k = 0; k <= ids.size(); ++k) valid.insert(std::vector<uint32_t>(ids.begin(), ids.begin() + k));
  }
  // A dense bigram model over the tokens of the alphabet of at most two bytes
  // (zero elsewhere), so that every cover of x (|x| <= 2) and the text that
  // makes it valid fit in the strings enumerated.
  std::set<uint32_t> used;
  for (const auto& seq : valid) {
    for (uint32_t t : seq) {
      if (tokenizer_->IdToBytes(t)->size() <= 2) used.insert(t);
    }
  }
  const size_t vocab = tokenizer_->Info().vocab_size;
  std::mt19937_64 rng(5);
  auto random_row = [&](std::vector<float>* row) {
    std::vector<double> w(vocab, 0);
    double total = 0;
    for (uint32_t t : used) total += (w[t] = 0.1 + (rng() % 1000) / 1000.0);
    w[eos_] = 0.5;
    total += 0.5;
    for (size_t t = 0; t < vocab; ++t) {
      row->push_back(w[t] > 0 ? static_cast<float>(std::log(w[t] / total)) : -INFINITY);
    }
  };
  std::vector<float> initial, next;
  random_row(&initial);
  for (size_t p = 0; p < vocab; ++p) random_row(&next);
  BigramTableLM lm(initial, next);
  absl::StatusOr<std::unique_ptr<ByteLM>> model = ByteLM::Create(&lm, tokenizer_.get(), eos_);
  ASSERT_TRUE(model.ok());

  auto seq_logprob = [&](const std::vector<uint32_t>& seq) {
    double lp = 0;
    std::unique_ptr<LmState> s = lm.NewState();
    std::vector<float> row;
    EXPECT_TRUE(lm.Append(s.get(), {eos_}, &row).ok());
    for (uint32_t t : seq) {
      lp += row[t];
      EXPECT_TRUE(lm.Append(s.get(), {t}, &row).ok());
    }
    return lp;
  };
  auto bytes_of = [&](const std::vector<uint32_t>& seq) {
    std::string b;
    for (uint32_t t : seq) b += (*model)->TokenBytes(t);
    return b;
  };
  auto eos_after = [&](const std::vector<uint32_t>& ids) {
    std::unique_ptr<LmState> s = lm.NewState();
    std::vector<float> rows;
    std::vector<uint32_t> seq = {eos_};
    seq.insert(seq.end(), ids.begin(), ids.end());
    EXPECT_TRUE(lm.Append(s.get(), seq, &rows).ok());
    return static_cast<double>(rows[(seq.size() - 1) * vocab + eos_]);
  };
  // Brute force: Q(x) = sum over the valid sequences that cover x.
  struct Candidate {
    std::string bytes;
    size_t before_last;  // bytes before the last token
    double logp;
  };
  std::vector<Candidate> candidates;
  for (const auto& seq : valid) {
    if (seq.empty() || std::any_of(seq.begin(), seq.end(), [&](uint32_t t) { return !used.count(t); })) continue;
    const std::string b = bytes_of(seq);
    candidates.push_back({b, b.size() - (*model)->TokenBytes(seq.back()).size(), seq_logprob(seq)});
  }
  auto brute_q = [&](const std::string& x) {
    if (x.empty()) return 1.0;
    double q = 0;
    for (const Candidate& c : candidates) {
      if (c.before_last < x.size() && c.bytes.size() >= x.size() && c.bytes.compare(0, x.size(), x) == 0) {
        q += std::exp(c.logp);
      }
    }
    return q;
  };
  size_t compared = 0;
  for (const std::string& x : strings) {
    if (x.size() > 2) continue;  // covers may need up to kMaxLength - 2 more bytes
    ByteState state = (*model)->Start();
    ASSERT_TRUE(state.Append(x).ok());
    const double expected = brute_q(x);
    ASSERT_NEAR(std::exp(state.LogProb()), expected, 1e-9 * expected) << "x=\"" << x << "\"";
    absl::StatusOr<ByteLogProbs> next = state.NextLogProbs();
    ASSERT_TRUE(next.ok());
    for (const char* c : kAlphabet) {
      const double q = brute_q(x + c);
      ASSERT_NEAR(std::exp((*next)[static_cast<uint8_t>(c[0])]), q, 1e-9 * std::max(q, 1e-300))
          << "x=\"" << x << "\" + \"" << c << "\"";
    }
    const double end = std::exp(seq_logprob(Encode(x)) + eos_after(Encode(x)));
    ASSERT_NEAR(std::exp((*next)[kEndOfText]), end, 1e-9 * end) << "x=\"" << x << "\"";
    ++compared;
  }
  EXPECT_EQ(compared, 73u);
}

TEST_F(ByteLMTest, GreedyGenerationFollowsTheOnlyText) {
  TextSetLM lm(tokenizer_->Info().vocab_size, eos_);
  lm.Add(Encode("def foo(x):\n    return x + 1\n"), 1);
  absl::StatusOr<std::unique_ptr<ByteLM>> model = ByteLM::Create(&lm, tokenizer_.get(), eos_);
  ASSERT_TRUE(model.ok());
  GenerateOptions options;
  options.max_bytes = 100;
  // The prompt ends inside the token "return" (or whatever the vocabulary has).
  EXPECT_EQ(*GenerateBytes(**model, "def foo(x):\n    ret", options), "urn x + 1\n");
  EXPECT_EQ(*GenerateHealed(**model, "def foo(x):\n    ret", options), "urn x + 1\n");
  options.temperature = 1;
  options.seed = 3;
  EXPECT_EQ(*GenerateBytes(**model, "def f", options), "oo(x):\n    return x + 1\n");
}

TEST_F(ByteLMTest, ValidUtf8GenerationCompletesCharacters) {
  TextSetLM lm(tokenizer_->Info().vocab_size, eos_);
  lm.Add(Encode("日本語"), 1);
  absl::StatusOr<std::unique_ptr<ByteLM>> model = ByteLM::Create(&lm, tokenizer_.get(), eos_);
  ASSERT_TRUE(model.ok());
  GenerateOptions options;
  options.valid_utf8 = true;
  options.max_bytes = 20;
  // The prompt ends inside 本 (E6 9C AC).
  EXPECT_EQ(*GenerateBytes(**model, "日\xE6\x9C", options), "\xAC語");
}

TEST_F(ByteLMTest, InvalidUtf8IsHandledAsBytes) {
  const std::string bad = "ab\xFF" "cd \xC3(x";
  TextSetLM lm(tokenizer_->Info().vocab_size, eos_);
  absl::StatusOr<std::unique_ptr<ByteLM>> probe = ByteLM::Create(&lm, tokenizer_.get(), eos_);
  ASSERT_TRUE(probe.ok());
  absl::StatusOr<std::vector<uint32_t>> canon = (*probe)->CanonicalEncoding(bad);
  ASSERT_TRUE(canon.ok());
  std::string joined;
  for (uint32_t t : *canon) joined += (*probe)->TokenBytes(t);
  EXPECT_EQ(joined, bad);
  lm.Add(*canon, 1);
  lm.Add(Encode("ab"), 1);
  absl::StatusOr<std::unique_ptr<ByteLM>> model = ByteLM::Create(&lm, tokenizer_.get(), eos_);
  ASSERT_TRUE(model.ok());
  ByteState state = (*model)->Start();
  for (size_t i = 0; i < bad.size(); ++i) {
    absl::StatusOr<ByteLogProbs> next = state.NextLogProbs();
    ASSERT_TRUE(next.ok());
    ASSERT_NEAR(std::exp(LogSumExp(*next) - state.LogProb()), 1.0, 1e-6) << i;
    ASSERT_TRUE(state.Push(static_cast<uint8_t>(bad[i])).ok());
  }
  EXPECT_NEAR(*(*model)->LogProb(bad, true), std::log(0.5), 1e-6);  // a float log-prob
}

TEST_F(ByteLMTest, RejectsTokenizersItCannotReasonAbout) {
  for (const char* file : {"tests/golden/features/metaspace_always_split.json",
                           "tests/golden/features/normalizers_nfd_prepend.json",
                           "tests/golden/features/split_isolated_string.json"}) {
    std::unique_ptr<Tokenizer> tok = testing::LoadCommitted(file);
    ASSERT_NE(tok, nullptr);
    const absl::Status s = ByteLM::CheckTokenizer(*tok);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << file;
    EXPECT_NE(s.message().find("not supported"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(ByteLM::CheckTokenizer(*tokenizer_).ok());
}

}  // namespace
}  // namespace tokgraft
