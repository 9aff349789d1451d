// Exact byte-level probabilities from a tokenized language model (Phan et al.
// 2024, "Exact Byte-Level Probabilities from Tokenized Language Models for
// FIM-Tasks and Model Ensembles"): the probability that the text a TokenLM
// generates begins with a byte string is the sum, over its cover encodings,
// of the probability that the generated token sequence begins with them.
//
// Definitions (see README, "Byte-level probabilities"):
//  - The canonical encoding of bytes s, Canon(s): the tokenizer's own ids for
//    s with special-token text read as plain text; bytes that are not valid
//    UTF-8 are one byte token each and cut the text there (the tokenizer
//    itself refuses them).
//  - A token sequence T is valid if it begins Canon(s) for some s.
//  - A cover encoding of a prefix x: a valid T with bytes(T) beginning with x,
//    |bytes(T without its last token)| < |x|.
//  - Q(x) = sum over the cover encodings T of x of P_LM(T is how the token
//    sequence begins), and Q(x, end) = P_LM(Canon(x) followed by eos).
//  - next-byte distribution: q(b | x) = Q(xb) / Z, q(end | x) = Q(x, end) / Z,
//    Z = sum_b Q(xb) + Q(x, end). If the LM puts no mass on invalid
//    sequences, Z = Q(x) and q is exactly the LM's byte-level distribution;
//    otherwise Z < Q(x) and q renormalizes the canonical mass (the mass the
//    model gives to non-canonical continuations is dropped).
//
// Validity is decided from the tokenizer's structure: BPE is applied to each
// pre-token on its own, and BPE of a pre-token is prefix-closed (the tokens of
// a BPE encoding that end at or before a byte position are the BPE encoding of
// the bytes up to it). Pre-token boundaries before the start of the
// second-to-last pre-token of x cannot move when bytes are appended (true of
// the ByteLevel/GPT-2 pattern and Digits: a pre-token's match is decided by
// at most three characters after its start or one after its end), so those
// tokens are fixed ("committed") and only the tail after them is enumerated.
// A tail token sequence T with bytes B is accepted if, for some probe
// continuation y (end of text, one character of each class the pattern
// distinguishes, the contraction suffixes), every pre-token boundary of B + y
// inside B is a token boundary of T and T's tokens in each piece are the
// model's encoding of that piece (the piece cut at |B|). The last piece may
// continue past B in a longer text; that its BPE then still splits at |B| is
// assumed, not checked, so acceptance is a superset of validity there.
#ifndef TOKGRAFT_BYTE_LM_H_
#define TOKGRAFT_BYTE_LM_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/lm.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {

struct ByteLMOptions {
  // LM inputs per window, as ScoreTokens: the sequence [eos] + tokens is cut
  // into windows of `context` inputs, each evaluated from position 0, which
  // bounds memory. 0: one unbounded window.
  size_t context = 0;
  // Speed for a bounded error; 0: exact. Next tokens are checked for
  // validity, most probable first, until the unchecked ones hold at most
  // `prune` of the next-token mass; those count as valid. With
  // ByteState::PruneSequences, sequences ending exactly at the end of x are
  // also continued most probable first until those left hold at most
  // prune * Q(x) (their continuations are dropped).
  double prune = 0;
};

// Outcome index 256 of a next-byte distribution is end-of-text.
inline constexpr int kEndOfText = 256;
using ByteLogProbs = std::array<double, 257>;

class ByteLM;

// A byte prefix that grows; holds the cover encodings of the bytes so far.
class ByteState {
 public:
  ~ByteState();
  ByteState(ByteState&&) noexcept;
  ByteState& operator=(ByteState&&) noexcept;

  absl::Status Push(uint8_t byte);
  absl::Status Append(std::string_view bytes);
  // log Q(prefix); -inf if no valid sequence covers it.
  double LogProb() const;
  // Unnormalized: log Q(prefix b) for b < 256, log Q(prefix, end) at 256.
  absl::StatusOr<ByteLogProbs> NextLogProbs();
  // The normalized next-byte distribution q (natural logs). With pruning,
  // if outcome `listed_exactly` (a byte or kEndOfText; -1: none) would get
  // probability 0 for lack of the pruned branches, its branches are listed
  // exactly (scoring a known text never meets an outcome of probability 0
  // that the model allows).
  absl::StatusOr<ByteLogProbs> NextByteDistribution(int listed_exactly = -1);
  // With ByteLMOptions::prune, also stop continuing improbable sequences
  // that end at the prefix's end (see there). Off by default: bytes pushed
  // later may continue only such a sequence (probability 0 then). Generation
  // turns it on after the prompt: a byte drawn from q always has a way on.
  void PruneSequences(bool on);
  // Bytes pushed so far.
  uint64_t size() const;
  // Work done: token positions the LM evaluated for this state.
  uint64_t lm_positions() const;

 private:
  friend class ByteLM;
  struct Impl;
  explicit ByteState(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class ByteLM {
 public:
  // `lm` and `tokenizer` must outlive the ByteLM; `eos` ends texts and starts
  // every sequence (as ScoreTokens does). Fails, saying what is not
  // supported, for tokenizers it cannot reason about exactly.
  static absl::StatusOr<std::unique_ptr<ByteLM>> Create(const TokenLM* lm, const Tokenizer* tokenizer,
                                                       uint32_t eos, const ByteLMOptions& options = {});
  // OK if ByteLM supports the tokenizer, else InvalidArgument naming what is not.
  static absl::Status CheckTokenizer(const Tokenizer& tokenizer);
  ~ByteLM();

  ByteState Start() const;
  // The state after `prompt`, as Start() then Append(prompt), but the tokens
  // that are already fixed (all but about the last two pre-tokens) are
  // evaluated in batches: fast and memory-bounded for long prompts.
  absl::StatusOr<ByteState> StartWith(std::string_view prompt) const;
  // log Q(bytes), or with `end`, log Q(bytes, end).
  absl::StatusOr<double> LogProb(std::string_view bytes, bool end) const;
  // Canon(bytes) as defined above.
  absl::StatusOr<std::vector<uint32_t>> CanonicalEncoding(std::string_view bytes) const;

  const TokenLM& lm() const;
  const Tokenizer& tokenizer() const;
  uint32_t eos() const;
  const ByteLMOptions& options() const;
  // The bytes of a token the model can produce; empty for special tokens.
  const std::string& TokenBytes(uint32_t id) const;

  struct Impl;

 private:
  explicit ByteLM(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Bits of a complete text under the chain rule of the normalized next-byte
// distribution: -sum log2 q(b_i | b_<i), over its bytes (`bits`) and the end
// symbol after them (`end_bits`, not included in `bits`).
struct ByteScore {
  double bits = 0;
  double end_bits = 0;
  uint64_t bytes = 0;
  uint64_t lm_positions = 0;
};
absl::StatusOr<ByteScore> ScoreBytes(const ByteLM& model, std::string_view text);

// Two byte-level models combined at every byte: a mixture w q_a + (1-w) q_b,
// and a product q_a^w q_b^(1-w) renormalized over the 257 outcomes; both,
// and the members' own scores, from one pass.
struct EnsembleScore {
  ByteScore mix, product, a, b;
};
absl::StatusOr<EnsembleScore> ScoreBytesEnsemble(const ByteLM& a, const ByteLM& b, double weight_a,
                                                 std::string_view text);

struct GenerateOptions {
  size_t max_bytes = 32;
  double temperature = 0;  // 0: greedy
  double top_p = 1;
  uint64_t seed = 0;
  // Only bytes that keep the output valid UTF-8 (continuing the prompt's last
  // character if it is incomplete), and no end inside a character.
  bool valid_utf8 = false;
};

// Exact byte-level generation: bytes drawn from q until end or max_bytes.
absl::StatusOr<std::string> GenerateBytes(const ByteLM& model, std::string_view prompt,
                                          const GenerateOptions& options);
// Baselines at token level, returning at most max_bytes continuation bytes.
// Naive: the prompt's canonical tokens, then greedy/sampled tokens.
absl::StatusOr<std::string> GenerateNaive(const ByteLM& model, std::string_view prompt,
                                          const GenerateOptions& options);
// Token healing: the prompt's last token is removed and the first generated
// tokens must reproduce its bytes (tokens that are a prefix of the removed
// bytes or begin with them); those bytes are not part of the output.
absl::StatusOr<std::string> GenerateHealed(const ByteLM& model, std::string_view prompt,
                                           const GenerateOptions& options);

}  // namespace tokgraft

#endif  // TOKGRAFT_BYTE_LM_H_
