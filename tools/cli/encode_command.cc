// tokgraft encode: text -> ids, as plain files, JSON lines, or a benchmark.
#include <chrono>
#include <cstdint>
#include <optional>

#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "io.h"
#include "tokgraft/stochastok.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::cli {
namespace {

constexpr char kHelp[] = R"(usage: tokgraft encode -t PATH [--jsonl] [--add-special] [--offsets] [--threads N] [FILE...]
       tokgraft encode -t PATH (--stochastok P [--max-expansions K] | --dropout P) [--seed S] [FILE...]
       tokgraft encode -t PATH --bench [--threads N] FILE...

Encodes text into token ids. With no FILE, reads standard input.

  -t, --tokenizer PATH  tokenizer.json, .tiktoken rank file, sentencepiece .model,
                        or a model folder holding tokenizer.json / tokenizer.model
  --pattern NAME        split pattern of a .tiktoken file: r50k_base, p50k_base,
                        cl100k_base or o200k_base (default: from the file name)
  --jsonl               each input line is a JSON string; prints one JSON array
                        of ids per line (empty lines are skipped)
                        default: each FILE is one text; prints one array per FILE
  --add-special         apply the post-processor template (BOS and the like)
  --split-special       treat the text of special tokens as plain text
  --offsets             print [id,start,end] triples: byte offsets into the text
  --threads N           encode on N threads (default 1); output order is kept
  --bench               documents separated by a line holding only U+001E, encoded
                        one at a time; prints {"bytes","tokens","seconds",
                        "mb_per_s","load_seconds","docs","threads"}

Random segmentations (decoding gives back the text; the same seed, the same ids):
  --stochastok P        StochasTok: after encoding n tokens, floor(P*n) times pick a
                        position and split the token there into two tokens whose
                        bytes join to it (added/special tokens are never split);
                        P in [0, 1]. Not with --offsets or --bench
  --max-expansions K    at most K split attempts per text (with --stochastok)
  --dropout P           BPE-dropout: skip each merge with probability P in [0, 1]
                        (BPE tokenizers: tokenizer.json and .tiktoken)
  --seed S              seed, 0 to 2^64-1 (default 0); text k of the run, counting
                        from 0 across all inputs, uses S+k
)";

// The random segmentation asked for; text k of the run uses seed + k.
struct Randomness {
  uint64_t seed = 0;
  std::optional<StochasTok> stochastok;
  StochasTokOptions stochastok_options;

  absl::Status Expand(uint64_t text_index, Encoding* encoding) const {
    if (!stochastok) return absl::OkStatus();
    StochasTokOptions options = stochastok_options;
    options.seed = seed + text_index;
    absl::StatusOr<std::vector<uint32_t>> ids = stochastok->Expand(encoding->ids, options);
    if (!ids.ok()) return ids.status();
    encoding->ids = *std::move(ids);
    return absl::OkStatus();
  }
};

absl::Status EncodeFilesPlain(const Tokenizer& tok, const std::vector<std::string>& files,
                              EncodeOptions options, const Randomness& randomness) {
  Output out;
  for (size_t k = 0; k < files.size(); ++k) {
    const std::string& file = files[k];
    absl::StatusOr<std::string> text = ReadFile(file);
    if (!text.ok()) return text.status();
    options.dropout_seed = randomness.seed + k;
    absl::StatusOr<Encoding> enc = tok.Encode(*text, options);
    if (!enc.ok()) return absl::InvalidArgumentError(absl::StrFormat("%s: %s", file, enc.status().message()));
    if (auto s = randomness.Expand(k, &*enc); !s.ok()) return s;
    AppendIds(*enc, options.with_offsets, out.buffer());
    out.Append("\n");
    if (auto s = out.MaybeFlush(); !s.ok()) return s;
  }
  return out.Flush();
}

absl::Status EncodeJsonLines(const Tokenizer& tok, const std::vector<std::string>& files,
                             EncodeOptions options, const Randomness& randomness, int threads) {
  constexpr size_t kBatch = 4096;
  Output out;
  uint64_t texts_done = 0;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> text = ReadFile(file);
    if (!text.ok()) return text.status();
    std::vector<std::string> batch;
    auto flush_batch = [&]() -> absl::Status {
      std::vector<std::string_view> views(batch.begin(), batch.end());
      options.dropout_seed = randomness.seed + texts_done;  // EncodeBatch adds the index in the batch
      absl::StatusOr<std::vector<Encoding>> encoded = tok.EncodeBatch(views, options, threads);
      if (!encoded.ok()) return absl::InvalidArgumentError(absl::StrFormat("%s: %s", file, encoded.status().message()));
      for (Encoding& enc : *encoded) {
        if (auto s = randomness.Expand(texts_done++, &enc); !s.ok()) return s;
        AppendIds(enc, options.with_offsets, out.buffer());
        out.Append("\n");
      }
      batch.clear();
      return out.MaybeFlush();
    };
    absl::Status read = ForEachJsonStringLine(*text, file, [&](std::string_view value) {
      batch.emplace_back(value);
      return batch.size() == kBatch ? flush_batch() : absl::OkStatus();
    });
    if (!read.ok()) return read;
    if (auto s = flush_batch(); !s.ok()) return s;
  }
  return out.Flush();
}

absl::Status Bench(const Args& args, const std::vector<std::string>& files, const EncodeOptions& options,
                   int threads) {
  if (files.empty()) return absl::InvalidArgumentError("--bench needs at least one FILE");
  std::vector<std::string> contents;
  std::vector<std::string_view> docs;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> text = ReadFile(file);
    if (!text.ok()) return text.status();
    contents.push_back(*std::move(text));
  }
  size_t bytes = 0;
  for (const std::string& text : contents) {
    for (std::string_view doc : SplitDocuments(text)) {
      docs.push_back(doc);
      bytes += doc.size();
    }
  }
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  absl::StatusOr<std::unique_ptr<Tokenizer>> tok = LoadTokenizerFromArgs(args);
  if (!tok.ok()) return tok.status();
  const auto t1 = Clock::now();
  size_t tokens = 0;
  if (threads == 1) {
    for (std::string_view doc : docs) {
      absl::StatusOr<Encoding> enc = (*tok)->Encode(doc, options);
      if (!enc.ok()) return enc.status();
      tokens += enc->ids.size();
    }
  } else {
    absl::StatusOr<std::vector<Encoding>> encoded = (*tok)->EncodeBatch(docs, options, threads);
    if (!encoded.ok()) return encoded.status();
    for (const Encoding& enc : *encoded) tokens += enc.ids.size();
  }
  const auto t2 = Clock::now();
  const double seconds = std::chrono::duration<double>(t2 - t1).count();
  const double load = std::chrono::duration<double>(t1 - t0).count();
  std::printf("{\"bytes\":%zu,\"tokens\":%zu,\"seconds\":%.6f,\"mb_per_s\":%.3f,\"load_seconds\":%.6f,"
              "\"docs\":%zu,\"threads\":%d}\n",
              bytes, tokens, seconds, bytes / 1e6 / seconds, load, docs.size(), threads);
  return absl::OkStatus();
}

}  // namespace

absl::Status RunEncode(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--jsonl", "--add-special", "--split-special", "--offsets", "--bench"};
  spec.values = {{"--threads", "--threads"}, {"--stochastok", "--stochastok"},
                 {"--max-expansions", "--max-expansions"}, {"--dropout", "--dropout"}, {"--seed", "--seed"}};
  AddTokenizerOptions(&spec);
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  if (args->Has("--help")) return PrintHelp(kHelp);
  if (!args->Value("--tokenizer")) return absl::InvalidArgumentError("missing -t PATH (see --help)");
  absl::StatusOr<int> threads = args->IntValue("--threads", 1, 1, 1024);
  if (!threads.ok()) return threads.status();
  absl::StatusOr<double> dropout = args->DoubleValue("--dropout", 0, 0, 1);
  if (!dropout.ok()) return dropout.status();
  absl::StatusOr<double> stochastok = args->DoubleValue("--stochastok", 0, 0, 1);
  if (!stochastok.ok()) return stochastok.status();
  absl::StatusOr<int> max_expansions = args->IntValue("--max-expansions", 0, 0, INT32_MAX);
  if (!max_expansions.ok()) return max_expansions.status();
  absl::StatusOr<uint64_t> seed = args->Uint64Value("--seed", 0);
  if (!seed.ok()) return seed.status();
  const bool use_stochastok = args->Value("--stochastok").has_value();
  if (args->Value("--max-expansions") && !use_stochastok) {
    return absl::InvalidArgumentError("--max-expansions needs --stochastok");
  }
  if (use_stochastok && (args->Has("--offsets") || args->Has("--bench"))) {
    return absl::InvalidArgumentError("--stochastok cannot be combined with --offsets or --bench");
  }

  EncodeOptions options;
  options.add_special_tokens = args->Has("--add-special");
  options.split_special_tokens = args->Has("--split-special");
  options.with_offsets = args->Has("--offsets");
  options.dropout = *dropout;
  options.dropout_seed = *seed;
  std::vector<std::string> files = args->positional();
  if (args->Has("--bench")) return Bench(*args, files, options, *threads);
  if (files.empty()) files.push_back("-");

  absl::StatusOr<std::unique_ptr<Tokenizer>> tok = LoadTokenizerFromArgs(*args);
  if (!tok.ok()) return tok.status();
  Randomness randomness;
  randomness.seed = *seed;
  if (use_stochastok) {
    randomness.stochastok = StochasTok::Create(**tok);
    randomness.stochastok_options.probability = *stochastok;
    if (args->Value("--max-expansions")) randomness.stochastok_options.max_expansions = *max_expansions;
  }
  if (args->Has("--jsonl")) return EncodeJsonLines(**tok, files, options, randomness, *threads);
  return EncodeFilesPlain(**tok, files, options, randomness);
}

absl::Status PrintHelp(const char* text) {
  std::fputs(text, stdout);
  return absl::OkStatus();
}

}  // namespace tokgraft::cli
