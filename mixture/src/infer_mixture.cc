// InferMixture: read the samples, replay the merges on each, then solve the
// program with lazily generated constraints (mixture_program.h).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "absl/strings/str_format.h"
#include "category_words.h"
#include "constraint_search.h"
#include "mixture_program.h"
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

  ProgramOptions program;
  program.pair_slack = options.pair_slack;
  program.candidates_per_step = options.candidates_per_step;
  program.max_rounds = options.max_rounds;
  program.on_progress = options.on_progress;
  absl::StatusOr<ProgramSolution> solution = SolveMixtureProgram(search, program);
  if (!solution.ok()) return solution.status();
  for (size_t i = 0; i < n; ++i) result.categories[i].proportion = solution->alpha[i];
  result.constraints = solution->rows;
  result.pair_columns = solution->pair_columns;
  result.rounds = solution->rounds;
  result.total_slack = solution->total_slack;
  result.pair_slack = solution->pair_slack;
  result.slack_lower_bound = solution->lower_bound;
  result.steps_with_slack = solution->steps_with_slack;
  result.pairs_with_slack = solution->pairs_with_slack;
  result.search_seconds = solution->search_seconds;
  result.solve_seconds = solution->solve_seconds;
  result.seconds = SecondsSince(start);
  return result;
}

}  // namespace tokgraft::mixture
