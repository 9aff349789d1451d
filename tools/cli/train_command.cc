// tokgraft train: learn a BPE vocabulary from text (or from word counts).
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "args.h"
#include "commands.h"
#include "io.h"
#include "progress.h"
#include "word_count_inputs.h"
#include "tokgraft/trainer.h"

namespace tokgraft::cli {
namespace {

constexpr char kHelp[] = R"(usage: tokgraft train --vocab-size N --out tokenizer.json [OPTIONS] FILE...
       tokgraft train --vocab-size N --out tokenizer.json --from-counts [OPTIONS] COUNTS...

Learns a byte-level BPE vocabulary (or a sentencepiece-style one with
--pre-tokenizer metaspace) and writes a tokenizer.json that tokgraft and
Hugging Face tokenizers load. Each line of the input (with its line end) is
pre-tokenized on its own, as HF's train_from_files does; FILE "-" is stdin.
With the default settings the merges are exactly those of HF's BpeTrainer.

  --vocab-size N        vocabulary size, special tokens and alphabet included
  --out PATH            where to write tokenizer.json (written atomically)
  --pre-tokenizer NAME  how text is cut into words (default digits-bytelevel):
                        digits-bytelevel  Digits + GPT-2 byte-level split (HF's setup)
                        bytelevel, gpt2   GPT-2 byte-level split
                        cl100k, llama3, o200k, qwen2   those published splits
                        metaspace         sentencepiece style (U+2581), character
                                          alphabet with byte fallback
                        none              a whole line is one word
                        anything else is a regex (Oniguruma syntax) whose
                        matches are the words
  --special TOKEN       a special token (ids 0..k-1 in the order given); repeat
  --min-frequency F     merge a pair only while it occurs at least F times
  --max-token-length L  no token longer than L bytes (characters for metaspace)
  --initial-alphabet S  characters always in the alphabet (metaspace)
  --resume PATH         start from the merges of this tokenizer.json, in order
  --supertokens METHOD  learn tokens that may span words (not with --from-counts):
                        superbpe    SuperBPE: ordinary BPE up to --transition,
                                    then continue on text split only around
                                    numbers (number grouping kept)
                        tokenadapt  TokenAdapt-style: train on random chunks of
                                    consecutive pre-tokens (--chunk-weights)
                        the pre-tokenizer must be a named byte-level one
  --transition T        superbpe: vocabulary size where stage 1 ends
                        (default 90% of --vocab-size)
  --max-words N         supertokens: at most N words per token (default 4);
                        tokens holding ": " are never formed
  --chunk-weights W,..  tokenadapt: weights of chunks of 1, 2, ... pre-tokens
                        (default 0.4,0.3,0.2,0.1)
  --seed S              tokenadapt: seed of the chunk draws (default 0)
  --from-counts         the inputs are word-count files from 'tokgraft count'
  --threads N           counting threads (default 2)
  --quiet               no progress on stderr

Ties between equally frequent pairs go to the pair with the smaller ids (left
id, then right id); alphabet ids follow code point order and merged tokens take
ids in creation order. The same input always gives the same merges.
)";

// Writes the tokenizer and says how long training took; `count_seconds`
// splits that time when counting ran as a step of its own.
absl::Status Report(const TrainedBpe& trained, const std::string& out_path, const Args& args, Progress* progress,
                    std::optional<double> count_seconds) {
  const double total_seconds = progress->Elapsed();
  if (absl::Status s = WriteFileAtomically(out_path, trained.ToTokenizerJson()); !s.ok()) return s;
  progress->Done();
  if (args.Has("--quiet")) return absl::OkStatus();
  std::string split;
  if (count_seconds) {
    split = absl::StrFormat(" (counting %.2f s, merging %.2f s)", *count_seconds, total_seconds - *count_seconds);
  }
  std::fprintf(stderr, "wrote %s: vocab %zu, %zu merges; training took %.2f s%s\n", out_path.c_str(),
               trained.vocab.size(), trained.merges.size(), total_seconds, split.c_str());
  return absl::OkStatus();
}

absl::Status RunSupertokens(const Args& args, BpeTrainerOptions options, int threads, Progress* progress,
                            const std::string& out_path) {
  SupertokenOptions supertokens;
  const std::string method = *args.Value("--supertokens");
  if (method == "superbpe") {
    supertokens.method = SupertokenOptions::Method::kSuperBpe;
  } else if (method == "tokenadapt") {
    supertokens.method = SupertokenOptions::Method::kTokenAdapt;
  } else {
    return absl::InvalidArgumentError(
        absl::StrFormat("--supertokens: \"%s\" is neither superbpe nor tokenadapt", method));
  }
  if (args.Has("--from-counts") || args.Value("--resume")) {
    return absl::InvalidArgumentError("--supertokens trains from text: it takes neither --from-counts nor --resume");
  }
  absl::StatusOr<int> transition = args.IntValue("--transition", 0, 1, 1 << 24);
  if (!transition.ok()) return transition.status();
  supertokens.transition = static_cast<size_t>(*transition);
  absl::StatusOr<int> max_words = args.IntValue("--max-words", 4, 1, 1000);
  if (!max_words.ok()) return max_words.status();
  supertokens.max_words_per_token = static_cast<size_t>(*max_words);
  if (std::optional<std::string> seed = args.Value("--seed")) {
    if (!absl::SimpleAtoi(*seed, &supertokens.seed)) {
      return absl::InvalidArgumentError(absl::StrFormat("--seed: \"%s\" is not a whole number >= 0", *seed));
    }
  }
  if (std::optional<std::string> weights = args.Value("--chunk-weights")) {
    supertokens.chunk_weights.clear();
    for (absl::string_view w : absl::StrSplit(*weights, ',')) {
      double value;
      if (!absl::SimpleAtod(w, &value) || !(value >= 0)) {
        return absl::InvalidArgumentError(
            absl::StrFormat("--chunk-weights: \"%s\" is not a list of numbers >= 0", *weights));
      }
      supertokens.chunk_weights.push_back(value);
    }
  }
  // SuperBPE reports its two stages one after the other.
  options.on_merge = [&](size_t done, size_t wanted) {
    progress->Update(absl::StrFormat("merges: %d / %d", done, wanted));
  };
  absl::StatusOr<TrainedBpe> trained = TrainSupertokens(
      args.positional(), args.Value("--pre-tokenizer").value_or("digits-bytelevel"), threads, options, supertokens,
      [&](uint64_t bytes) { progress->Update(absl::StrFormat("counting words: %.1f MB", bytes / 1e6)); });
  if (!trained.ok()) return trained.status();
  return Report(*trained, out_path, args, progress, std::nullopt);
}

absl::Status Run(const Args& args) {
  if (args.Has("--help")) return PrintHelp(kHelp);
  std::optional<std::string> out_path = args.Value("--out");
  if (!out_path) return absl::InvalidArgumentError("missing --out PATH (see --help)");
  if (!args.Value("--vocab-size")) return absl::InvalidArgumentError("missing --vocab-size N (see --help)");
  if (args.positional().empty()) return absl::InvalidArgumentError("no input files (see --help)");
  BpeTrainerOptions options;
  absl::StatusOr<int> vocab_size = args.IntValue("--vocab-size", 0, 1, 1 << 24);
  if (!vocab_size.ok()) return vocab_size.status();
  options.vocab_size = static_cast<size_t>(*vocab_size);
  absl::StatusOr<int> max_length = args.IntValue("--max-token-length", 0, 1, 1 << 20);
  if (!max_length.ok()) return max_length.status();
  options.max_token_length = static_cast<size_t>(*max_length);
  absl::StatusOr<int> threads = args.IntValue("--threads", 2, 1, 256);
  if (!threads.ok()) return threads.status();
  if (std::optional<std::string> f = args.Value("--min-frequency")) {
    if (!absl::SimpleAtoi(*f, &options.min_frequency)) {
      return absl::InvalidArgumentError(absl::StrFormat("--min-frequency: \"%s\" is not a whole number >= 0", *f));
    }
  }
  options.special_tokens = args.Values("--special");
  options.initial_alphabet = args.Value("--initial-alphabet").value_or("");
  if (std::optional<std::string> resume = args.Value("--resume")) {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> merges = ReadMergesFromTokenizerJson(*resume);
    if (!merges.ok()) return merges.status();
    options.initial_merges = *std::move(merges);
  }
  auto splitter = MakeWordSplitter(args.Value("--pre-tokenizer").value_or("digits-bytelevel"));
  if (!splitter.ok()) return splitter.status();

  Progress progress(!args.Has("--quiet"));
  if (args.Value("--supertokens")) return RunSupertokens(args, options, *threads, &progress, *out_path);
  absl::StatusOr<WordCounts> counts =
      WordCountsOfInputs(*splitter, args.positional(), args.Has("--from-counts"), *threads, &progress);
  if (!counts.ok()) return counts.status();
  const double count_seconds = progress.Elapsed();
  progress.Update(absl::StrFormat("counted %d distinct words (%d in all) in %.2f s", counts->words().size(),
                                  counts->total(), count_seconds),
                  true);
  progress.Done();
  if (counts->words().empty()) return absl::InvalidArgumentError("the input holds no words to train on");

  options.on_merge = [&](size_t done, size_t wanted) {
    const double seconds = progress.Elapsed() - count_seconds;
    progress.Update(absl::StrFormat("merges: %d / %d (%.0f merges/s)", done, wanted,
                                    done / std::max(seconds, 1e-9)));
  };
  absl::StatusOr<TrainedBpe> trained = TrainBpe(*counts, options);
  if (!trained.ok()) return trained.status();
  return Report(*trained, *out_path, args, &progress, count_seconds);
}

}  // namespace

absl::Status RunTrain(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--from-counts", "--quiet"};
  for (const char* option : {"--vocab-size", "--out", "--pre-tokenizer", "--special", "--min-frequency",
                             "--max-token-length", "--initial-alphabet", "--resume", "--threads", "--supertokens",
                             "--transition", "--max-words", "--chunk-weights", "--seed"}) {
    spec.values[option] = option;
  }
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  return Run(*args);
}

}  // namespace tokgraft::cli
