// Bits per byte of complete texts under byte-level models and their ensembles.
#include <cmath>

#include "absl/strings/str_format.h"
#include "byte_lm_impl.h"

namespace tokgraft {
namespace {

using bytes_internal::kNegInf;
using bytes_internal::LogAdd;

const double kLn2 = std::log(2.0);

enum class EnsembleMode { kMix, kProduct };

// Combines two normalized next-byte distributions.
ByteLogProbs Combine(const ByteLogProbs& a, const ByteLogProbs& b, double w, EnsembleMode mode) {
  ByteLogProbs out;
  double z = kNegInf;
  for (int i = 0; i < 257; ++i) {
    if (mode == EnsembleMode::kMix) {
      out[i] = LogAdd(a[i] == kNegInf || w == 0 ? kNegInf : a[i] + std::log(w),
                      b[i] == kNegInf || w == 1 ? kNegInf : b[i] + std::log1p(-w));
    } else {
      out[i] = a[i] == kNegInf || b[i] == kNegInf ? kNegInf : w * a[i] + (1 - w) * b[i];
    }
    z = LogAdd(z, out[i]);
  }
  for (double& v : out) v -= z;
  return out;
}

}  // namespace

absl::StatusOr<ByteScore> ScoreBytes(const ByteLM& model, std::string_view text) {
  ByteScore score;
  ByteState state = model.Start();
  for (size_t i = 0; i <= text.size(); ++i) {
    absl::StatusOr<ByteLogProbs> q =
        state.NextByteDistribution(i < text.size() ? static_cast<uint8_t>(text[i]) : kEndOfText);
    if (!q.ok()) return absl::Status(q.status().code(), absl::StrFormat("at byte %d: %s", i, q.status().message()));
    if (i == text.size()) {
      score.end_bits = -(*q)[kEndOfText] / kLn2;
      break;
    }
    const uint8_t b = static_cast<uint8_t>(text[i]);
    score.bits -= (*q)[b] / kLn2;
    if (absl::Status s = state.Push(b); !s.ok()) {
      return absl::Status(s.code(), absl::StrFormat("at byte %d: %s", i, s.message()));
    }
  }
  score.bytes = text.size();
  score.lm_positions = state.lm_positions();
  return score;
}

absl::StatusOr<EnsembleScore> ScoreBytesEnsemble(const ByteLM& a, const ByteLM& b, double weight_a,
                                                 std::string_view text) {
  if (!(weight_a >= 0 && weight_a <= 1)) {
    return absl::InvalidArgumentError(absl::StrFormat("ensemble weight %g is not in [0, 1]", weight_a));
  }
  EnsembleScore score;
  ByteState sa = a.Start(), sb = b.Start();
  for (size_t i = 0; i <= text.size(); ++i) {
    const int outcome = i == text.size() ? kEndOfText : static_cast<uint8_t>(text[i]);
    absl::StatusOr<ByteLogProbs> qa = sa.NextByteDistribution(outcome);
    if (!qa.ok()) return qa.status();
    absl::StatusOr<ByteLogProbs> qb = sb.NextByteDistribution(outcome);
    if (!qb.ok()) return qb.status();
    const ByteLogProbs* q[4] = {nullptr, nullptr, &*qa, &*qb};
    const ByteLogProbs mix = Combine(*qa, *qb, weight_a, EnsembleMode::kMix);
    const ByteLogProbs product = Combine(*qa, *qb, weight_a, EnsembleMode::kProduct);
    q[0] = &mix;
    q[1] = &product;
    ByteScore* scores[4] = {&score.mix, &score.product, &score.a, &score.b};
    for (int k = 0; k < 4; ++k) {
      (outcome == kEndOfText ? scores[k]->end_bits : scores[k]->bits) -= (*q[k])[outcome] / kLn2;
    }
    if (outcome == kEndOfText) break;
    if (absl::Status s = sa.Push(static_cast<uint8_t>(outcome)); !s.ok()) return s;
    if (absl::Status s = sb.Push(static_cast<uint8_t>(outcome)); !s.ok()) return s;
  }
  for (ByteScore* s : {&score.mix, &score.product, &score.a, &score.b}) s->bytes = text.size();
  score.a.lm_positions = sa.lm_positions();
  score.b.lm_positions = sb.lm_positions();
  score.mix.lm_positions = score.product.lm_positions = sa.lm_positions() + sb.lm_positions();
  return score;
}

}  // namespace tokgraft
