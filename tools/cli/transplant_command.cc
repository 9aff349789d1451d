// tokgraft transplant: give a base model a donor's vocabulary.
#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "progress.h"
#include "tokgraft/transplant.h"

namespace tokgraft::cli {
namespace {

constexpr char kHelp[] = R"(usage: tokgraft transplant BASE DONOR OUT [--method hybrid] [--k 64] [options]

Gives the model in folder BASE the tokenizer of the model in folder DONOR,
with no training, and writes a complete Hugging Face model folder OUT: the
base's weights and config, the donor's tokenizer files, new embedding (and
output) matrices, and transplant_report.json.

Donor tokens the base has (same canonical bytes: byte-level "Ġthe",
metaspace "▁the" and " the" are one token; "<0x0A>" is "\n") keep the base's
rows. Special tokens are matched one by one, by role (bos, eos, pad, unk)
and then by content; unmatched ones are reported. Every other row is
estimated by the method:

  hybrid      (default) OMP, FVT, the first and the last base piece and the
              base mean, combined per matrix with non-negative weights
              fitted to leave-one-out reconstructions of shared tokens
  omp         Orthogonal Matching Pursuit: the token's donor row as a sparse
              combination of k shared tokens' donor rows; the same
              coefficients applied to the base's rows
  tokenadapt  TokenAdapt (arXiv 2505.09738): (1-w) local + w global, where
              local weighs the base's pieces of the token and global its
              nearest shared tokens; similarities in the donor's space
  fvt         the mean of the base's rows of the base's pieces of the token
  knn         the nearest shared tokens in the donor's space, weighted by
              inverse cosine distance
  mean, zero  the base's mean row, or zeros

When a method cannot place a token (FVT for bytes the base cannot spell, OMP
for a token the donor's matrix has no row for) it falls back, and the report
counts each fallback. The embedding and an untied output matrix are solved
separately, each in the donor's own matrix. Every method works when base and
donor have different hidden sizes: similarities are measured in the donor's
space and only base rows are combined.

options:
  --method M          hybrid, omp, tokenadapt, fvt, knn, mean, zero
  --k N               OMP atoms per token (default 64)
  --omp-normalize     choose OMP atoms by correlation / atom norm
  --fp64              OMP correlations in float64 (default float32)
  --omp-batch N       tokens per OMP step (default 256)
  --omp-candidates M  approximate OMP, for large vocabularies: choose each
                      token's atoms among the M that correlate best with it
                      (one pass over all atoms instead of k); 0: exact
                      (default). The report says when it was used
  --omp-rescreen R    with --omp-candidates: every R steps, score the
                      residuals against all atoms again and rebuild the
                      candidates (default 0: never; each costs one pass)
  --knn N             neighbours for knn (default 8)
  --temperature T     TokenAdapt softmax temperature (default 0.3)
  --top-k N           TokenAdapt global neighbours (default 3)
  --global-weight W   TokenAdapt w (default 0.3)
  --loo-sample N      shared tokens measured leave-one-out (default 512; 0: skip)
  --seed S            seed of the leave-one-out sample (default 1)
  --threads N         threads (default: all cores)
  --force             replace OUT if it exists
  --json              print the report as JSON instead of text
  --quiet             no progress on stderr
)";

absl::Status Run(const Args& args) {
  if (args.Has("--help")) return PrintHelp(kHelp);
  if (args.positional().size() != 3) return absl::InvalidArgumentError("need BASE DONOR OUT (see --help)");
  TransplantOptions options;
  if (auto method = args.Value("--method")) {
    absl::StatusOr<TransplantMethod> parsed = ParseTransplantMethod(*method);
    if (!parsed.ok()) return parsed.status();
    options.method = *parsed;
  }
  absl::StatusOr<int> k = args.IntValue("--k", 64, 1, 4096);
  absl::StatusOr<int> batch = args.IntValue("--omp-batch", 256, 1, 1 << 20);
  absl::StatusOr<int> candidates = args.IntValue("--omp-candidates", 0, 0, 1 << 30);
  absl::StatusOr<int> rescreen = args.IntValue("--omp-rescreen", 0, 0, 4096);
  absl::StatusOr<int> knn = args.IntValue("--knn", 8, 1, 4096);
  absl::StatusOr<int> top_k = args.IntValue("--top-k", 3, 1, 4096);
  absl::StatusOr<int> loo = args.IntValue("--loo-sample", 512, 0, 1 << 24);
  absl::StatusOr<int> threads = args.IntValue("--threads", 0, 1, 1024);
  absl::StatusOr<double> temperature = args.DoubleValue("--temperature", 0.3, 1e-6, 1e6);
  absl::StatusOr<double> global_weight = args.DoubleValue("--global-weight", 0.3, 0, 1);
  absl::StatusOr<uint64_t> seed = args.Uint64Value("--seed", 1);
  for (const absl::Status& s : {k.status(), batch.status(), candidates.status(), rescreen.status(), knn.status(),
                                top_k.status(), loo.status(), threads.status(), temperature.status(),
                                global_weight.status(), seed.status()}) {
    if (!s.ok()) return s;
  }
  options.omp.k = *k;
  options.omp.batch = *batch;
  if (*candidates > 0 && *candidates < *k) {
    return absl::InvalidArgumentError(absl::StrFormat("--omp-candidates %d is fewer than --k %d", *candidates, *k));
  }
  if (*rescreen > 0 && *candidates == 0) return absl::InvalidArgumentError("--omp-rescreen needs --omp-candidates");
  options.omp.candidates = *candidates;
  options.omp.rescreen_every = *rescreen;
  options.omp.normalize_atoms = args.Has("--omp-normalize");
  options.omp.fp64 = args.Has("--fp64");
  options.knn_k = *knn;
  options.tokenadapt_top_k = *top_k;
  options.tokenadapt_temperature = *temperature;
  options.tokenadapt_global_weight = *global_weight;
  options.leave_one_out_sample = *loo;
  options.seed = *seed;
  options.threads = *threads;
  options.overwrite = args.Has("--force");
  Progress progress(!args.Has("--quiet"));
  options.progress = [&progress](std::string_view stage, size_t done, size_t total) {
    progress.Update(absl::StrFormat("transplant: %s %zu/%zu (%.0f s)", stage, done, total, progress.Elapsed()),
                    done == 0 || done == total);
  };
  const std::vector<std::string>& p = args.positional();
  absl::StatusOr<TransplantReport> report = Transplant(p[0], p[1], p[2], options);
  progress.Done();
  if (!report.ok()) return report.status();
  if (args.Has("--json")) {
    std::fputs(report->ToJson().c_str(), stdout);
  } else {
    std::fputs(report->Summary().c_str(), stdout);
    std::printf("wrote %s in %.1f s\n", p[2].c_str(), report->seconds);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunTransplant(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--omp-normalize", "--fp64", "--force", "--json", "--quiet"};
  for (const char* option : {"--method", "--k", "--omp-batch", "--omp-candidates", "--omp-rescreen", "--knn",
                             "--temperature", "--top-k", "--global-weight", "--loo-sample", "--seed", "--threads"}) {
    spec.values[option] = option;
  }
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  return Run(*args);
}

}  // namespace tokgraft::cli
