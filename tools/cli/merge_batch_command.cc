// tokgraft merge-batch: dynamic merging (batch-level BPE) over encoded documents.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "args.h"
#include "commands.h"
#include "io.h"
#include "tokgraft/dynamic_merge.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::cli {
namespace {

constexpr char kHelp[] = R"(usage: tokgraft merge-batch -t PATH --merges M [--boundary pretoken|word|word-hyphen|any]
                            [--target-reduction R] [--jsonl] [FILE...]

Dynamic merging: encodes a batch of documents, then repeatedly merges the most
frequent adjacent pair of tokens across the whole batch (every occurrence, left
to right, not overlapping) into a new token. With no FILE, reads standard input.

  -t, --tokenizer PATH    as for encode (not sentencepiece .model files with
                          --boundary pretoken)
  --pattern NAME          as for encode (.tiktoken files)
  --merges M              make at most M new tokens
  --boundary MODE         which neighbours may merge (default pretoken); special
                          tokens never merge:
                            pretoken     within one pre-token of the tokenizer
                            word         within one word: a run of letters, marks,
                                         digits and '_'; spaces, punctuation and
                                         hyphens separate words
                            word-hyphen  as word, but a hyphen joins words
                            any          anything
  --target-reduction R    stop once the total length has shrunk by the fraction R
                          (0 to 1; 0.2 = 20% fewer tokens)
  --jsonl                 each input line is a JSON string, one document
                          default: each FILE is one document

Merging also stops when no pair occurs twice. Ties go to the smallest
(left id, right id).

Output: one JSON array of ids per document, in input order, then one JSON
object per new token, in the order of merging:
  {"id":N,"left":A,"right":B,"parts":[base ids],"bytes":"...","count":C}
New ids start at the tokenizer's vocabulary size. "left"/"right" are the ids
merged (either may be new), "parts" the tokenizer's own ids it stands for,
"bytes" its text (invalid UTF-8 replaced by U+FFFD, and then "hex" gives the
exact bytes), "count" how many occurrences were merged. Sequences are the lines
starting with '[', tokens those starting with '{'.
)";

absl::StatusOr<MergeBoundary> ParseBoundary(const std::string& name) {
  if (name == "pretoken") return MergeBoundary::kPreToken;
  if (name == "word") return MergeBoundary::kWord;
  if (name == "word-hyphen") return MergeBoundary::kWordHyphen;
  if (name == "any") return MergeBoundary::kAny;
  return absl::InvalidArgumentError(
      absl::StrFormat("--boundary: \"%s\" is not one of pretoken, word, word-hyphen, any", name));
}

absl::StatusOr<std::vector<std::string>> ReadDocuments(const std::vector<std::string>& files, bool jsonl) {
  std::vector<std::string> docs;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> text = ReadFile(file);
    if (!text.ok()) return text.status();
    if (!jsonl) {
      docs.push_back(*std::move(text));
      continue;
    }
    absl::Status read = ForEachJsonStringLine(*text, file, [&](std::string_view value) {
      docs.emplace_back(value);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
  }
  return docs;
}

// "merge-batch: N/M merges" on a terminal, once a run has taken a second.
class Progress {
 public:
  explicit Progress(size_t total) : total_(total), shown_(isatty(STDERR_FILENO) == 1) {}

  void Update(size_t merges) {
    if (!shown_) return;
    const auto now = Clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    printed_ = true;
    std::fprintf(stderr, "\rmerge-batch: %zu/%zu merges", merges, total_);
  }

  void Finish() {
    if (printed_) std::fputc('\n', stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  size_t total_;
  bool shown_;
  bool printed_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_;
};

void AppendToken(const DynamicToken& token, std::string* out) {
  absl::StrAppendFormat(out, "{\"id\":%d,\"left\":%d,\"right\":%d,\"parts\":[%s],\"bytes\":", token.id, token.left,
                        token.right, absl::StrJoin(token.parts, ","));
  const std::string text = ToValidUtf8Lossy(token.bytes);
  AppendJsonString(text, out);
  if (text != token.bytes) absl::StrAppendFormat(out, ",\"hex\":\"%s\"", absl::BytesToHexString(token.bytes));
  absl::StrAppendFormat(out, ",\"count\":%d}\n", token.count);
}

}  // namespace

absl::Status RunMergeBatch(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--jsonl"};
  spec.values = {{"--merges", "--merges"}, {"--boundary", "--boundary"}, {"--target-reduction", "--target-reduction"}};
  AddTokenizerOptions(&spec);
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  if (args->Has("--help")) return PrintHelp(kHelp);
  if (!args->Value("--tokenizer")) return absl::InvalidArgumentError("missing -t PATH (see --help)");
  if (!args->Value("--merges")) return absl::InvalidArgumentError("missing --merges M (see --help)");
  absl::StatusOr<int> merges = args->IntValue("--merges", 0, 0, INT32_MAX);
  if (!merges.ok()) return merges.status();
  absl::StatusOr<double> target = args->DoubleValue("--target-reduction", 0, 0, 1);
  if (!target.ok()) return target.status();
  absl::StatusOr<MergeBoundary> boundary = ParseBoundary(args->Value("--boundary").value_or("pretoken"));
  if (!boundary.ok()) return boundary.status();

  std::vector<std::string> files = args->positional();
  if (files.empty()) files.push_back("-");
  absl::StatusOr<std::vector<std::string>> docs = ReadDocuments(files, args->Has("--jsonl"));
  if (!docs.ok()) return docs.status();
  absl::StatusOr<std::unique_ptr<Tokenizer>> tok = LoadTokenizerFromArgs(*args);
  if (!tok.ok()) return tok.status();

  EncodeOptions encode;
  encode.with_pretoken_ids = *boundary == MergeBoundary::kPreToken;
  absl::StatusOr<std::vector<Encoding>> batch =
      (*tok)->EncodeBatch(std::vector<std::string_view>(docs->begin(), docs->end()), encode, 1);
  if (!batch.ok()) return batch.status();

  DynamicMergeOptions options;
  options.boundary = *boundary;
  options.max_merges = static_cast<size_t>(*merges);
  if (args->Value("--target-reduction")) options.target_reduction = *target;
  Progress progress(options.max_merges);
  options.on_merge = [&progress](size_t done) { progress.Update(done); };
  absl::StatusOr<DynamicMergeResult> merged = MergeBatch(**tok, *batch, options);
  progress.Finish();
  if (!merged.ok()) return merged.status();

  Output out;
  for (const std::vector<uint32_t>& seq : merged->sequences) {
    absl::StrAppendFormat(out.buffer(), "[%s]\n", absl::StrJoin(seq, ","));
    if (auto s = out.MaybeFlush(); !s.ok()) return s;
  }
  for (const DynamicToken& token : merged->vocabulary) AppendToken(token, out.buffer());
  return out.Flush();
}

}  // namespace tokgraft::cli
