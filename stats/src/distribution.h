// Entropies of a unigram distribution given as counts, for the efficiency
// measures of Zouhar et al. 2023 ("Tokenization and the noiseless channel").
#ifndef TOKGRAFT_STATS_DISTRIBUTION_H_
#define TOKGRAFT_STATS_DISTRIBUTION_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tokgraft::stats {

// Shannon entropy in nats; 0 for an empty distribution.
double ShannonEntropy(const std::vector<uint64_t>& counts);
// Rényi entropy of order alpha (alpha > 0, != 1) in nats.
double RenyiEntropy(const std::vector<uint64_t>& counts, double alpha);
// entropy / log(vocab_size): 1 means every token of the vocabulary is
// equally likely. 0 for vocabularies of fewer than two tokens.
double Efficiency(double entropy, size_t vocab_size);

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_DISTRIBUTION_H_
