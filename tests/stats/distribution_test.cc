#include "distribution.h"

#include <cmath>

#include "gtest/gtest.h"

namespace tokgraft::stats {
namespace {

TEST(DistributionTest, UniformUseOfTheWholeVocabularyIsFullyEfficient) {
  const std::vector<uint64_t> counts = {5, 5, 5, 5};
  EXPECT_NEAR(Efficiency(ShannonEntropy(counts), 4), 1.0, 1e-12);
  EXPECT_NEAR(Efficiency(RenyiEntropy(counts, 2.5), 4), 1.0, 1e-12);
}

TEST(DistributionTest, MatchesTheDefinitions) {
  const std::vector<uint64_t> counts = {1, 3, 0};
  const double shannon = -(0.25 * std::log(0.25) + 0.75 * std::log(0.75));
  const double renyi = std::log(std::pow(0.25, 2.5) + std::pow(0.75, 2.5)) / (1 - 2.5);
  EXPECT_NEAR(ShannonEntropy(counts), shannon, 1e-12);
  EXPECT_NEAR(RenyiEntropy(counts, 2.5), renyi, 1e-12);
  EXPECT_NEAR(Efficiency(renyi, 3), renyi / std::log(3.0), 1e-12);
  // Rényi entropy of order > 1 weighs frequent tokens more: never above Shannon.
  EXPECT_LT(RenyiEntropy(counts, 2.5), ShannonEntropy(counts));
}

TEST(DistributionTest, DegenerateDistributionsHaveNoEntropy) {
  EXPECT_EQ(ShannonEntropy({}), 0);
  EXPECT_EQ(RenyiEntropy({0, 0}, 2.5), 0);
  EXPECT_NEAR(ShannonEntropy({7, 0, 0}), 0, 1e-12);
  EXPECT_EQ(Efficiency(1.0, 1), 0);
}

}  // namespace
}  // namespace tokgraft::stats
