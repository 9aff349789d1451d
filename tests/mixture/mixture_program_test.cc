// The lazily generated program against the full one: on an instance small
// enough to write down every (step, pair) constraint that some proportions
// could violate, the cutting planes must reach the full program's optimum,
// with and without pair slacks, however many rows a round adds.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/container/flat_hash_map.h"
#include "constraint_search.h"
#include "gtest/gtest.h"
#include "linear_program.h"
#include "mixture_program.h"
#include "tokgraft/merge_replay.h"
#include "tokgraft/trainer.h"

namespace tokgraft::mixture {
namespace {

namespace fs = std::filesystem;

std::string DataDir() {
  const char* data = std::getenv("TOKGRAFT_DATA");
  const char* home = std::getenv("HOME");
  const std::string dir = data && *data ? data : std::string(home ? home : "") + "/.cache/tokgraft-data";
  return fs::is_directory(dir + "/corpus/train") ? dir : "";
}

// `skip` bytes of a corpus file, then about `size` bytes, cut at line ends,
// separator lines dropped.
std::string Piece(const std::string& path, size_t skip, size_t size) {
  std::ifstream in(path, std::ios::binary);
  std::string skipped, text, line;
  while (text.size() < size && std::getline(in, line)) {
    if (line == "\x1E") continue;
    (skipped.size() < skip ? skipped : text) += line + "\n";
  }
  return text;
}

struct Instance {
  MergeSchedule schedule;
  std::vector<MergeReplay> replays;
  std::vector<double> scales;
  std::vector<bool> constrained;
};

// A tokenizer trained on one mixture of three categories, replayed on
// samples that follow the training text (so the program needs slack).
Instance MakeInstance(const std::string& data) {
  const std::vector<std::pair<std::string, size_t>> mixture = {{"en", 60000}, {"fr", 30000}, {"python", 30000}};
  WordCounts training(*MakeWordSplitter("digits-bytelevel"));
  std::vector<std::string> samples;
  for (const auto& [category, bytes] : mixture) {
    const std::string path = data + "/corpus/train/" + category + ".txt";
    EXPECT_TRUE(training.AddText(Piece(path, 0, bytes)).ok());
    samples.push_back(Piece(path, bytes, 20000));
  }
  BpeTrainerOptions options;
  options.vocab_size = 256 + 120;
  absl::StatusOr<TrainedBpe> trained = TrainBpe(training, options);
  EXPECT_TRUE(trained.ok()) << trained.status();
  absl::StatusOr<MergeSchedule> schedule = MergeSchedule::Create(trained->merges, true, nullptr);
  EXPECT_TRUE(schedule.ok()) << schedule.status();
  Instance instance{*std::move(schedule), {}, {}, {}};
  for (const std::string& sample : samples) {
    WordCounts words(*MakeWordSplitter("digits-bytelevel"));
    EXPECT_TRUE(words.AddText(sample).ok());
    absl::StatusOr<MergeReplay> replay = ReplayMerges(instance.schedule, words.words());
    EXPECT_TRUE(replay.ok()) << replay.status();
    instance.replays.push_back(*std::move(replay));
    instance.scales.push_back(1e6 / double(sample.size()));
  }
  for (size_t t = 0; t < instance.schedule.steps().size(); ++t) {
    bool seen = false;
    for (const MergeReplay& r : instance.replays) seen = seen || r.step_counts[t] > 0;
    instance.constrained.push_back(seen);
  }
  return instance;
}

// Every constraint that some alpha could violate (a category where the pair
// is more frequent than the merged one), written down and solved at once.
double FullProgramOptimum(const Instance& instance, bool pair_slack) {
  const size_t n = instance.replays.size();
  LinearProgram lp;
  std::vector<int> alpha(n);
  for (size_t i = 0; i < n; ++i) alpha[i] = lp.AddColumn(0, 1, 0);
  lp.AddRow(1, 1, alpha, std::vector<double>(n, 1.0));
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> counts;
  absl::flat_hash_map<uint64_t, int> pair_columns;
  std::vector<size_t> next(n, 0);
  for (size_t t = 0; t < instance.schedule.steps().size(); ++t) {
    for (size_t i = 0; i < n; ++i) {
      const std::vector<PairCountChange>& changes = instance.replays[i].changes;
      for (size_t& k = next[i]; k < changes.size() && changes[k].step == t; ++k) {
        std::vector<uint32_t>& c = counts[changes[k].pair];
        c.resize(n);
        c[i] = changes[k].count;
      }
    }
    if (!instance.constrained[t]) continue;
    const int step_column = lp.AddColumn(0, LinearProgram::kInfinity, 1);
    std::vector<uint64_t> own;
    for (const auto& [left, right] : instance.schedule.steps()[t].pairs) own.push_back((uint64_t{left} << 32) | right);
    for (const auto& [pair, c] : counts) {
      if (std::find(own.begin(), own.end(), pair) != own.end()) continue;
      std::vector<int> columns(alpha);
      std::vector<double> values(n);
      bool can_be_violated = false;
      for (size_t i = 0; i < n; ++i) {
        const double excess = instance.scales[i] * (double(c[i]) - double(instance.replays[i].step_counts[t]));
        values[i] = -excess;
        can_be_violated = can_be_violated || excess > 0;
      }
      if (!can_be_violated) continue;
      columns.push_back(step_column);
      values.push_back(1);
      if (pair_slack) {
        auto [it, added] = pair_columns.try_emplace(pair, 0);
        if (added) it->second = lp.AddColumn(0, LinearProgram::kInfinity, 1);
        columns.push_back(it->second);
        values.push_back(1);
      }
      lp.AddRow(0, LinearProgram::kInfinity, columns, values);
    }
  }
  EXPECT_TRUE(lp.Solve().ok());
  return lp.Objective();
}

TEST(MixtureProgramTest, LazyCutsReachTheFullProgramsOptimum) {
  const std::string data = DataDir();
  if (data.empty()) GTEST_SKIP() << "needs $TOKGRAFT_DATA/corpus (the shared data)";
  const Instance instance = MakeInstance(data);
  for (bool pair_slack : {true, false}) {
    const double full = FullProgramOptimum(instance, pair_slack);
    ASSERT_GT(full, 0) << "the instance needs slack, or it tests nothing";
    for (size_t candidates : {size_t{1}, size_t{5}}) {
      ConstraintSearch search(instance.replays, instance.scales, instance.schedule, instance.constrained);
      ProgramOptions options;
      options.pair_slack = pair_slack;
      options.candidates_per_step = candidates;
      absl::StatusOr<ProgramSolution> solution = SolveMixtureProgram(search, options);
      ASSERT_TRUE(solution.ok()) << solution.status();
      EXPECT_NEAR(solution->total_slack, full, 1e-6 * full) << "pair slack " << pair_slack << ", candidates " << candidates;
      EXPECT_LE(solution->lower_bound, full * (1 + 1e-9));
      EXPECT_EQ(solution->pair_slack > 0, pair_slack && solution->pairs_with_slack > 0);
    }
  }
}

}  // namespace
}  // namespace tokgraft::mixture
