#include "distribution.h"

#include <cmath>

namespace tokgraft::stats {
namespace {

uint64_t Total(const std::vector<uint64_t>& counts) {
  uint64_t total = 0;
  for (uint64_t c : counts) total += c;
  return total;
}

}  // namespace

double ShannonEntropy(const std::vector<uint64_t>& counts) {
  const uint64_t total = Total(counts);
  if (total == 0) return 0;
  double h = 0;
  for (uint64_t c : counts) {
    if (c == 0) continue;
    const double p = static_cast<double>(c) / total;
    h -= p * std::log(p);
  }
  return h;
}

double RenyiEntropy(const std::vector<uint64_t>& counts, double alpha) {
  const uint64_t total = Total(counts);
  if (total == 0) return 0;
  double sum = 0;
  for (uint64_t c : counts) {
    if (c != 0) sum += std::pow(static_cast<double>(c) / total, alpha);
  }
  return std::log(sum) / (1 - alpha);
}

double Efficiency(double entropy, size_t vocab_size) {
  if (vocab_size < 2) return 0;
  return entropy / std::log(static_cast<double>(vocab_size));
}

}  // namespace tokgraft::stats
