// InferMixture: read the samples, replay the merges on each, then solve the
// program with lazily generated constraints.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <limits>
#include <thread>

#include "absl/strings/str_format.h"
#include "category_words.h"
#include "constraint_search.h"
#include "linear_program.h"
#include "tokgraft/merge_replay.h"
#include "tokgraft/mixture.h"
#include "tokgraft/trainer.h"

namespace tokgraft::mixture {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Counts are per million bytes of the sample, so that proportions are shares
// of bytes and the program's numbers are of a size the solver handles well.
constexpr double kUnitBytes = 1e6;
// A constraint counts as violated beyond this (units: occurrences per million
// bytes; one occurrence in a 1 MB sample is 1).
constexpr double kTolerance = 1e-5;
// Rounds stop when the total slack of the best solution is within this
// fraction of the lower bound.
constexpr double kRelativeGap = 1e-7;

// Runs task(k) for k in [0, count) on `threads` threads; the first error wins.
absl::Status ParallelFor(size_t count, int threads, const std::function<absl::Status(size_t)>& task) {
  std::atomic<size_t> next{0};
  std::vector<absl::Status> errors(count);
  auto work = [&] {
    for (size_t k = next++; k < count; k = next++) errors[k] = task(k);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::min<int>(threads, static_cast<int>(count)); ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (absl::Status& e : errors) {
    if (!e.ok()) return e;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReadMerges(const Tokenizer& tokenizer,
                                                                            const std::string& path) {
  const TokenizerInfo info = tokenizer.Info();
  if (info.format == "tiktoken") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: a .tiktoken rank file has no merge list to replay (not supported); use the tokenizer.json form of "
        "the tokenizer (e.g. gpt35turbo.json for cl100k_base)",
        path));
  }
  if (info.format != "tokenizer.json") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: %s files are not supported (no readable merge list); use the tokenizer.json form of the tokenizer",
        path, info.format));
  }
  if (info.model_type != "BPE") {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: a %s model has no merge list; only BPE tokenizers can be replayed", path, info.model_type));
  }
  std::error_code error;
  const std::string json_path =
      std::filesystem::is_directory(path, error) ? (std::filesystem::path(path) / "tokenizer.json").string() : path;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> merges = ReadMergesFromTokenizerJson(json_path);
  if (!merges.ok()) return merges.status();
  if (merges->empty()) return absl::InvalidArgumentError(absl::StrFormat("%s: the merge list is empty", json_path));
  return merges;
}

}  // namespace

absl::StatusOr<MixtureResult> InferMixture(const Tokenizer& tokenizer, const std::string& tokenizer_path,
                                           const std::vector<CategorySample>& categories,
                                           const MixtureOptions& options) {
  const Clock::time_point start = Clock::now();
  if (categories.empty()) return absl::InvalidArgumentError("no categories");
  auto progress = [&](const std::string& text) {
    if (options.on_progress) options.on_progress(text);
  };
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> merges = ReadMerges(tokenizer, tokenizer_path);
  if (!merges.ok()) return merges.status();
  const bool byte_level = tokenizer.Info().byte_level;
  absl::StatusOr<MergeSchedule> schedule = MergeSchedule::Create(
      *merges, byte_level, [&tokenizer](std::string_view c) { return tokenizer.TokenToId(c).has_value(); },
      options.max_merges);
  if (!schedule.ok()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: %s", tokenizer_path, schedule.status().message()));
  }
  const SplitRules rules = SplitRulesFor(*merges, byte_level);
  const bool by_line = options.unit == MixtureOptions::Unit::kLine ||
                       (options.unit == MixtureOptions::Unit::kAuto && !byte_level);

  MixtureResult result;
  result.tokenizer = tokenizer_path;
  result.unit = by_line ? "line" : "document";
  result.merges_used = schedule->merges_used();
  result.steps = schedule->steps().size();
  const size_t n = categories.size();

  for (const CategorySample& sample : categories) {
    if (absl::Status s = ValidateCategorySample(sample); !s.ok()) return s;
  }
  Clock::time_point phase = Clock::now();
  std::vector<CategoryWords> words(n);
  std::atomic<size_t> done{0};
  absl::Status status = ParallelFor(n, options.threads, [&](size_t i) -> absl::Status {
    absl::StatusOr<CategoryWords> w = ReadCategoryWords(tokenizer, categories[i], by_line, rules);
    if (!w.ok()) return w.status();
    words[i] = *std::move(w);
    progress(absl::StrFormat("read %d/%d categories", ++done, n));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  result.read_seconds = SecondsSince(phase);

  phase = Clock::now();
  std::vector<MergeReplay> replays(n);
  std::vector<uint64_t> distinct_words(n);
  done = 0;
  status = ParallelFor(n, options.threads, [&](size_t i) -> absl::Status {
    absl::StatusOr<MergeReplay> replay = ReplayMerges(*schedule, words[i].words);
    if (!replay.ok()) return absl::InvalidArgumentError(absl::StrFormat("%s: %s", categories[i].path, replay.status().message()));
    replays[i] = *std::move(replay);
    distinct_words[i] = words[i].words.size();
    words[i].words = {};  // the replay holds what is needed from here on
    progress(absl::StrFormat("replayed %d merges on %d/%d categories", schedule->merges_used(), ++done, n));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  result.replay_seconds = SecondsSince(phase);

  const std::vector<MergeStep>& steps = schedule->steps();
  std::vector<bool> constrained(steps.size());
  for (size_t t = 0; t < steps.size(); ++t) {
    bool seen = false;
    for (const MergeReplay& r : replays) seen = seen || r.step_counts[t] > 0;
    if (!steps[t].reachable) ++result.unreachable_steps;
    else if (!seen) ++result.unseen_steps;
    constrained[t] = steps[t].reachable && (seen || !options.skip_unseen_steps);
    result.constrained_steps += constrained[t];
  }
  std::vector<double> scales(n);
  for (size_t i = 0; i < n; ++i) {
    result.categories.push_back({categories[i].name, categories[i].path, 0, words[i].bytes, distinct_words[i]});
    scales[i] = kUnitBytes / double(words[i].bytes);
  }
  ConstraintSearch search(std::move(replays), scales, *schedule, constrained);

  // The program has a slack v_t per step and a row per (step, pair); even
  // the rows generated lazily, a few per step, make a program of hundreds of
  // thousands of rows that the simplex method solves far too slowly. Given
  // alpha, each v_t is determined: the largest violation at step t, or 0. So
  // the rows of a block of consecutive steps are summed into one cut on the
  // block's total slack z_b (valid: a maximum is at least any of its terms),
  // and cuts are added where the current solution violates them (the
  // multi-cut cutting-plane method). The program's optimum over the cuts is a
  // lower bound of the full program's; the objective of any alpha, from a
  // sweep, an upper bound; rounds stop when they meet.
  std::vector<size_t> block_of(steps.size(), 0);
  const size_t blocks = std::max<size_t>(1, std::min(options.blocks, result.constrained_steps));
  for (size_t t = 0, k = 0; t < steps.size(); ++t) {
    if (constrained[t]) block_of[t] = k++ * blocks / std::max<size_t>(1, result.constrained_steps);
  }
  LinearProgram lp;
  std::vector<int> alpha_columns(n);
  for (size_t i = 0; i < n; ++i) alpha_columns[i] = lp.AddColumn(0, 1, 0);
  lp.AddRow(1, 1, alpha_columns, std::vector<double>(n, 1.0));
  std::vector<int> block_columns(blocks);
  for (size_t b = 0; b < blocks; ++b) block_columns[b] = lp.AddColumn(0, LinearProgram::kInfinity, 1);
  std::vector<double> alpha(n, 1.0 / n), best_alpha = alpha;
  double upper = std::numeric_limits<double>::infinity(), lower = 0;
  std::vector<std::vector<double>> cuts(blocks, std::vector<double>(n));
  std::vector<bool> block_cut(blocks);
  std::vector<int> row_columns(n + 1);
  std::vector<double> row_values(n + 1);
  std::copy(alpha_columns.begin(), alpha_columns.end(), row_columns.begin());
  bool converged = false;
  for (result.rounds = 0; result.rounds < options.max_rounds; ++result.rounds) {
    phase = Clock::now();
    const std::vector<StepViolation> violated = search.MostViolated(alpha, kTolerance);
    result.search_seconds += SecondsSince(phase);
    double objective = 0;
    for (const StepViolation& v : violated) objective += v.value;
    if (objective < upper) {
      upper = objective;
      best_alpha = alpha;
      result.steps_with_slack = violated.size();
    }
    if (upper - lower <= kRelativeGap * std::max(1.0, upper)) {
      converged = true;
      break;
    }
    for (size_t b = 0; b < blocks; ++b) {
      std::fill(cuts[b].begin(), cuts[b].end(), 0.0);
      block_cut[b] = false;
    }
    for (const StepViolation& v : violated) {
      const size_t b = block_of[v.step];
      for (size_t i = 0; i < n; ++i) cuts[b][i] += v.coefficients[i];
      block_cut[b] = true;
    }
    // z_b - cut_b . alpha >= 0
    for (size_t b = 0; b < blocks; ++b) {
      if (!block_cut[b]) continue;
      for (size_t i = 0; i < n; ++i) row_values[i] = -cuts[b][i];
      row_columns[n] = block_columns[b];
      row_values[n] = 1;
      lp.AddRow(0, LinearProgram::kInfinity, row_columns, row_values);
      ++result.constraints;
    }
    result.pair_constraints += violated.size();
    phase = Clock::now();
    if (absl::Status s = lp.Solve(); !s.ok()) return s;
    result.solve_seconds += SecondsSince(phase);
    lower = std::max(lower, lp.Objective());
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += alpha[i] = std::max(0.0, lp.Value(alpha_columns[i]));
    for (double& a : alpha) a /= sum;
    progress(absl::StrFormat("round %d: slack between %.6g and %.6g, %d cuts", result.rounds + 1, lower, upper,
                             result.constraints));
  }
  if (!converged) {
    return absl::InternalError(absl::StrFormat(
        "the cutting planes did not converge in %d rounds (total slack between %.9g and %.9g)", options.max_rounds,
        lower, upper));
  }
  alpha = best_alpha;
  result.total_slack = upper;
  result.slack_lower_bound = lower;
  for (size_t i = 0; i < n; ++i) result.categories[i].proportion = alpha[i];
  result.seconds = SecondsSince(start);
  return result;
}

}  // namespace tokgraft::mixture
