// tokgraft mixture: infers the proportions of categories (languages, code) in
// a BPE tokenizer's training data from its merge list (tokgraft/mixture.h).
#include <unistd.h>

#include <filesystem>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "corpus_files.h"
#include "io.h"
#include "progress.h"
#include "tokgraft/mixture.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::cli {
namespace {

namespace fs = std::filesystem;

constexpr char kHelp[] = R"(usage: tokgraft mixture -t TOKENIZER [--category NAME=FILE ...] [--corpus DIR] [--merges N] [--json] [--out DIR]

Infers what share of a BPE tokenizer's training data came from each category
(data-mixture inference, Hayase et al. 2024): the tokenizer's merges are
replayed on a sample of every category, with the tokenizer's own normalizer
and pre-tokenizer, and a linear program (COIN-OR CLP) finds the proportions
under which each merged pair comes closest to being the most frequent pair of
its step, with a slack per step and one per pair (shared by all steps), as in
the paper. Constraints are generated lazily until none is violated. The
program grows with the merges: with all merges of a large tokenizer it takes
minutes; --merges 3000 (as the paper's solver) takes about one.

  -t, --tokenizer PATH   a BPE tokenizer.json (or a model folder holding one);
                         .tiktoken and sentencepiece .model files have no
                         merge list to replay: use their tokenizer.json form
  --category NAME=FILE   a category and its sample; repeat. Documents are
                         separated by a line holding only U+001E
  --corpus DIR           every DIR/*.txt is a category named by its file stem
                         (the default without --category:
                         $TOKGRAFT_DATA/corpus/dev, TOKGRAFT_DATA defaulting to
                         ~/.cache/tokgraft-data)
  --merges N             replay the first N merges (default: all)
  --unit line|document   give the pre-tokenizer one line or one document at a
                         time (default: document for byte-level tokenizers,
                         line otherwise, as sentencepiece trains)
  --candidates K         add up to K violated constraints per step and round
                         (default 20)
  --no-pair-slack        leave out the slack per pair shared by all steps
                         (the paper's program has it): a slack per step
                         only, as earlier versions solved; for comparison
  --keep-unseen          keep steps whose merge occurs in no sample (dropped
                         by default: with small samples they are noise)
  --threads N            categories read and replayed in parallel (default 2)
  --json                 print the result as one JSON document
  --out DIR              write DIR/index.html (bar chart and numbers,
                         self-contained) and DIR/mixture.json
  --quiet                no progress on stderr
Without --json, prints a table of categories and proportions.
)";

absl::StatusOr<std::vector<mixture::CategorySample>> SamplesFromArgs(const Args& args) {
  std::vector<mixture::CategorySample> samples;
  const std::vector<std::string> named = args.Values("--category");
  if (!args.positional().empty()) {
    return absl::InvalidArgumentError(absl::StrFormat("unexpected argument %s (see --help)", args.positional()[0]));
  }
  if (!named.empty() && args.Value("--corpus")) {
    return absl::InvalidArgumentError("give --category NAME=FILE or --corpus DIR, not both");
  }
  if (named.empty()) {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> files =
        ListCorpusDir(args.Value("--corpus").value_or(DefaultCorpusDir()));
    if (!files.ok()) return files.status();
    for (const auto& [name, path] : *files) samples.push_back({name, path});
    return samples;
  }
  std::set<std::string> names;
  for (const std::string& spec : named) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      return absl::InvalidArgumentError(absl::StrFormat("--category \"%s\": expected NAME=FILE", spec));
    }
    const std::string name = spec.substr(0, eq);
    if (!names.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrFormat("--category %s is given twice", name));
    }
    samples.push_back({name, spec.substr(eq + 1)});
  }
  return samples;
}

std::string Table(const mixture::MixtureResult& r) {
  std::string s = absl::StrFormat("%-16s %10s %12s\n", "category", "proportion", "sample bytes");
  for (const mixture::CategoryResult& c : r.categories) {
    absl::StrAppendFormat(&s, "%-16s %9.2f%% %12d\n", c.name, 100 * c.proportion, c.bytes);
  }
  absl::StrAppendFormat(&s,
                        "%d merges (%d steps; %d in the program, %d unseen in the samples, %d unreachable), "
                        "%d rows in %d rounds, total slack %.6g (%d steps; %.6g over %d "
                        "pairs)\n",
                        r.merges_used, r.steps, r.constrained_steps, r.unseen_steps, r.unreachable_steps,
                        r.constraints, r.rounds, r.total_slack, r.steps_with_slack, r.pair_slack,
                        r.pairs_with_slack);
  absl::StrAppendFormat(&s, "time: %.2f s (read %.2f, replay %.2f, constraint search %.2f, LP %.2f)\n", r.seconds,
                        r.read_seconds, r.replay_seconds, r.search_seconds, r.solve_seconds);
  return s;
}

}  // namespace

absl::Status RunMixture(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--json", "--keep-unseen", "--no-pair-slack", "--quiet"};
  spec.values = {{"--category", "--category"}, {"--corpus", "--corpus"},
                 {"--merges", "--merges"},     {"--unit", "--unit"},
                 {"--out", "--out"},           {"--threads", "--threads"},
                 {"--candidates", "--candidates"}};
  AddTokenizerOptions(&spec);
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  if (args->Has("--help")) return PrintHelp(kHelp);
  const std::optional<std::string> path = args->Value("--tokenizer");
  if (!path) return absl::InvalidArgumentError("missing -t TOKENIZER (see --help)");

  mixture::MixtureOptions options;
  absl::StatusOr<uint64_t> merges = args->Uint64Value("--merges", 0);
  if (!merges.ok()) return merges.status();
  options.max_merges = *merges;
  absl::StatusOr<int> threads = args->IntValue("--threads", 2, 1, 256);
  if (!threads.ok()) return threads.status();
  options.threads = *threads;
  absl::StatusOr<int> candidates = args->IntValue("--candidates", 20, 1, 1000);
  if (!candidates.ok()) return candidates.status();
  options.candidates_per_step = *candidates;
  options.skip_unseen_steps = !args->Has("--keep-unseen");
  options.pair_slack = !args->Has("--no-pair-slack");
  if (std::optional<std::string> unit = args->Value("--unit")) {
    if (*unit == "line") {
      options.unit = mixture::MixtureOptions::Unit::kLine;
    } else if (*unit == "document") {
      options.unit = mixture::MixtureOptions::Unit::kDocument;
    } else {
      return absl::InvalidArgumentError(absl::StrFormat("--unit: \"%s\" is neither line nor document", *unit));
    }
  }

  // Bad input is refused before the slow work: samples first, then the tokenizer.
  absl::StatusOr<std::vector<mixture::CategorySample>> samples = SamplesFromArgs(*args);
  if (!samples.ok()) return samples.status();
  for (const mixture::CategorySample& sample : *samples) {
    if (absl::Status s = mixture::ValidateCategorySample(sample); !s.ok()) {
      return absl::Status(s.code(), absl::StrFormat("category %s: %s", sample.name, s.message()));
    }
  }
  absl::StatusOr<std::unique_ptr<Tokenizer>> tokenizer = LoadTokenizerFromArgs(*args);
  if (!tokenizer.ok()) {
    const std::string message(tokenizer.status().message());
    return absl::Status(tokenizer.status().code(), absl::StrContains(message, *path)
                                                       ? message
                                                       : absl::StrFormat("tokenizer %s: %s", *path, message));
  }
  Progress progress(!args->Has("--quiet"));
  options.on_progress = [&progress](const std::string& text) { progress.Update(text); };
  absl::StatusOr<mixture::MixtureResult> result = mixture::InferMixture(**tokenizer, *path, *samples, options);
  progress.Done();
  if (!result.ok()) return result.status();
  const std::string json = mixture::MixtureToJson(*result);
  if (std::optional<std::string> out_dir = args->Value("--out")) {
    if (absl::Status s = WriteReportFolder(*out_dir, {{"index.html", mixture::MixtureToHtml(*result)}, {"mixture.json", json}});
        !s.ok()) {
      return s;
    }
  }
  Output out;
  out.Append(args->Has("--json") ? json : Table(*result));
  return out.Flush();
}

}  // namespace tokgraft::cli
