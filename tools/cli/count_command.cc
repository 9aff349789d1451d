// tokgraft count: text shards -> word-count files that add up (the map and
// reduce steps of training on corpora larger than one machine).
#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "progress.h"
#include "word_count_inputs.h"
#include "tokgraft/trainer.h"

namespace tokgraft::cli {
namespace {

constexpr char kHelp[] = R"(usage: tokgraft count --out COUNTS [--pre-tokenizer NAME] [--threads N] FILE...
       tokgraft count --out COUNTS --merge [--pre-tokenizer NAME] COUNTS...

Counts the words of text files (each line pre-tokenized on its own, as
'tokgraft train' does) and writes a word-count file: a header naming the
pre-tokenizer, then COUNT<TAB>WORD lines sorted by word (\\ \t \n \r escaped).

Counts add up associatively: count shards anywhere (xargs -P, Spark, Hadoop
streaming), then sum them with --merge, or simply concatenate the files;
'tokgraft train --from-counts COUNTS...' gives exactly the merges that training
on all the text gives.

  --out PATH            where to write the counts (written atomically)
  --pre-tokenizer NAME  as for 'tokgraft train' (default digits-bytelevel); must
                        match the one given to train
  --merge               the inputs are count files: write their sum
  --threads N           counting threads (default 2)
  --quiet               no progress on stderr
)";

absl::Status Run(const Args& args) {
  if (args.Has("--help")) return PrintHelp(kHelp);
  std::optional<std::string> out_path = args.Value("--out");
  if (!out_path) return absl::InvalidArgumentError("missing --out PATH (see --help)");
  if (args.positional().empty()) return absl::InvalidArgumentError("no input files (see --help)");
  absl::StatusOr<int> threads = args.IntValue("--threads", 2, 1, 256);
  if (!threads.ok()) return threads.status();
  auto splitter = MakeWordSplitter(args.Value("--pre-tokenizer").value_or("digits-bytelevel"));
  if (!splitter.ok()) return splitter.status();
  Progress progress(!args.Has("--quiet"));
  absl::StatusOr<WordCounts> counts =
      WordCountsOfInputs(*splitter, args.positional(), args.Has("--merge"), *threads, &progress);
  if (!counts.ok()) return counts.status();
  if (absl::Status s = counts->Save(*out_path); !s.ok()) return s;
  progress.Update(absl::StrFormat("wrote %s: %d distinct words, %d in all, in %.2f s", *out_path,
                                  counts->words().size(), counts->total(), progress.Elapsed()),
                  true);
  progress.Done();
  return absl::OkStatus();
}

}  // namespace

absl::Status RunCount(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--merge", "--quiet"};
  for (const char* option : {"--out", "--pre-tokenizer", "--threads"}) spec.values[option] = option;
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  return Run(*args);
}

}  // namespace tokgraft::cli
