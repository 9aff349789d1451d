// tokgraft eval: bits per byte of a model on corpus files.
#include <cmath>
#include <filesystem>

#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "io.h"
#include "progress.h"
#include "tokgraft/lm.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::cli {
namespace {

constexpr char kHelp[] = R"(usage: tokgraft eval MODEL_DIR [--tokenizer PATH] [--ctx 512] [--threads N] [--json]
                     [--max-docs N] [--max-chars N] [--dump OUT] FILE...

Scores corpus files with a Llama-family checkpoint (config.json model_type
llama, mistral or qwen2; safetensors in F32, F16 or BF16, one file or sharded)
and reports bits per byte, per file and overall. Bits per byte, not per token,
so that models with different tokenizers can be compared.

Each FILE holds documents separated by a line holding only U+001E. Each
document is tokenized alone (no special tokens added), prefixed with the
model's eos token, cut into consecutive windows of --ctx inputs that are each
scored from position 0, and every document token is scored once:
bits = -sum log2 p(token), bytes = UTF-8 length of the document.

  --tokenizer PATH  tokenizer to use (default: the one in MODEL_DIR)
  --ctx N           tokens per scoring window (default 512)
  --threads N       threads (default: all cores)
  --json            print a JSON summary as the last line:
                    {"bits","bytes","tokens","bpb","files":{FILE:{...}}}
  --max-docs N      only the first N (non-empty) documents of each file
  --max-chars N     cut each document to its first N characters first
  --dump OUT        write per-token natural-log probabilities, one JSON line
                    per document: {"file","doc","tokens":[ids],"logprobs":[...]}
  --quiet           no progress on stderr
)";

struct Totals {
  double bits = 0;
  uint64_t bytes = 0;
  uint64_t tokens = 0;
  uint64_t docs = 0;
  double bpb() const { return bytes ? bits / static_cast<double>(bytes) : 0; }
};

void AppendTotals(const Totals& t, std::string* out) {
  absl::StrAppendFormat(out, "{\"bits\":%.6f,\"bytes\":%d,\"tokens\":%d,\"bpb\":%.8f}", t.bits, t.bytes, t.tokens,
                        t.bpb());
}

absl::Status Run(const Args& args) {
  if (args.Has("--help")) return PrintHelp(kHelp);
  if (args.positional().size() < 2) return absl::InvalidArgumentError("need MODEL_DIR and at least one FILE (see --help)");
  const std::string model_dir = args.positional()[0];
  const std::vector<std::string> files(args.positional().begin() + 1, args.positional().end());
  absl::StatusOr<int> ctx = args.IntValue("--ctx", 512, 1, 1 << 20);
  if (!ctx.ok()) return ctx.status();
  absl::StatusOr<int> threads = args.IntValue("--threads", 0, 1, 1024);
  if (!threads.ok()) return threads.status();
  absl::StatusOr<int> max_docs = args.IntValue("--max-docs", 0, 1, 1 << 30);
  if (!max_docs.ok()) return max_docs.status();
  absl::StatusOr<int> max_chars = args.IntValue("--max-chars", 0, 1, 1 << 30);
  if (!max_chars.ok()) return max_chars.status();
  if (!std::filesystem::is_directory(model_dir)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is not a model folder", model_dir));
  }
  absl::StatusOr<std::unique_ptr<Tokenizer>> tokenizer = LoadTokenizer(args.Value("--tokenizer").value_or(model_dir));
  if (!tokenizer.ok()) return tokenizer.status();
  LoadModelOptions load;
  load.threads = *threads;
  absl::StatusOr<std::unique_ptr<TransformerLM>> model = TransformerLM::Load(model_dir, load);
  if (!model.ok()) return model.status();

  const int trained_context = (*model)->config().max_positions;
  if (trained_context > 0 && *ctx > trained_context && !args.Has("--quiet")) {
    std::fprintf(stderr, "tokgraft eval: warning: --ctx %d is longer than the model's max_position_embeddings %d\n",
                 *ctx, trained_context);
  }
  std::unique_ptr<AtomicFile> dump;
  if (const std::optional<std::string> dump_path = args.Value("--dump")) {
    absl::StatusOr<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(*dump_path);
    if (!file.ok()) return file.status();
    dump = *std::move(file);
  }
  Progress progress(!args.Has("--quiet"));
  Totals overall;
  std::vector<std::pair<std::string, Totals>> per_file;
  absl::Status status;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> text = ReadFile(file);
    if (!text.ok()) {
      status = text.status();
      break;
    }
    std::vector<std::string> docs = SplitCorpusDocuments(*text);
    if (*max_chars > 0) {
      for (std::string& doc : docs) doc = FirstCharacters(doc, *max_chars);
    }
    if (*max_docs > 0 && docs.size() > static_cast<size_t>(*max_docs)) docs.resize(*max_docs);
    Totals totals;
    for (size_t d = 0; d < docs.size() && status.ok(); ++d) {
      progress.Update(absl::StrFormat("%s: document %d / %d (%.0f s)", file, d + 1, docs.size(), progress.Elapsed()));
      absl::StatusOr<Encoding> encoding = (*tokenizer)->Encode(docs[d]);
      if (!encoding.ok()) {
        status = absl::InvalidArgumentError(absl::StrFormat("%s: document %d: %s", file, d, encoding.status().message()));
        break;
      }
      absl::StatusOr<std::vector<double>> logprobs = ScoreTokens(**model, encoding->ids, *ctx);
      if (!logprobs.ok()) {
        status = absl::InvalidArgumentError(absl::StrFormat("%s: document %d: %s", file, d, logprobs.status().message()));
        break;
      }
      for (double lp : *logprobs) totals.bits -= lp / std::log(2.0);
      totals.bytes += docs[d].size();
      totals.tokens += encoding->ids.size();
      ++totals.docs;
      if (dump) {
        std::string line = "{\"file\":";
        AppendJsonString(file, &line);
        absl::StrAppendFormat(&line, ",\"doc\":%d,\"tokens\":[", d);
        for (size_t i = 0; i < encoding->ids.size(); ++i) absl::StrAppend(&line, i ? "," : "", encoding->ids[i]);
        line += "],\"logprobs\":[";
        for (size_t i = 0; i < logprobs->size(); ++i) absl::StrAppendFormat(&line, "%s%.7g", i ? "," : "", (*logprobs)[i]);
        line += "]}\n";
        dump->Write(line);
      }
    }
    if (!status.ok()) break;
    overall.bits += totals.bits;
    overall.bytes += totals.bytes;
    overall.tokens += totals.tokens;
    overall.docs += totals.docs;
    per_file.emplace_back(file, totals);
  }
  progress.Done();
  if (!status.ok()) return status;  // the partial dump is removed
  if (dump) {
    if (absl::Status s = dump->Commit(); !s.ok()) return s;
  }
  Output out;
  out.Append(absl::StrFormat("%-40s %6s %10s %10s %12s %8s\n", "file", "docs", "bytes", "tokens", "bits", "bpb"));
  for (const auto& [file, t] : per_file) {
    out.Append(absl::StrFormat("%-40s %6d %10d %10d %12.1f %8.4f\n", file, t.docs, t.bytes, t.tokens, t.bits, t.bpb()));
  }
  out.Append(absl::StrFormat("%-40s %6d %10d %10d %12.1f %8.4f\n", "overall", overall.docs, overall.bytes,
                             overall.tokens, overall.bits, overall.bpb()));
  if (args.Has("--json")) out.Append(FilesSummaryJson(overall, per_file, AppendTotals));
  return out.Flush();
}

}  // namespace

absl::Status RunEval(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--json", "--quiet"};
  for (const char* option : {"--tokenizer", "--ctx", "--threads", "--dump", "--max-docs", "--max-chars"}) {
    spec.values[option] = option;
  }
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  return Run(*args);
}

}  // namespace tokgraft::cli
