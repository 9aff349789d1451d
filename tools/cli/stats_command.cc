// tokgraft stats: compares tokenizers on a corpus of categories (JSON and an
// HTML report); the numbers come from the stats library (tokgraft/stats.h).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "corpus_files.h"
#include "io.h"
#include "tokgraft/stats.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::cli {
namespace {

namespace fs = std::filesystem;

constexpr char kHelp[] = R"(usage: tokgraft stats -t PATH [-t PATH ...] [--corpus DIR | FILE ...] [--out DIR] [--json]

Compares tokenizers on a corpus: per tokenizer and category, bytes and
characters per token, tokens per word (ICU words) and the share of words split
into two or more tokens, Shannon and Renyi (alpha 2.5) efficiency, vocabulary
utilisation, token length histogram, and the share of tokens that are words of
the category's language (Hunspell: en de fr es it pt ru pl nl); per tokenizer,
byte coverage, special/added tokens, unreachable and longest tokens, how digits
are grouped, and encode speed; across tokenizers, the tokens they share.

  -t, --tokenizer PATH  as for encode; repeat to compare several
  --pattern NAME        as for encode (.tiktoken files; applies to all)
  --corpus DIR          every DIR/*.txt is a category named by its file stem
                        (default: $TOKGRAFT_DATA/corpus/dev, TOKGRAFT_DATA
                        defaulting to ~/.cache/tokgraft-data)
  FILE ...              instead of --corpus: these files, one category each.
                        Documents are separated by a line holding only U+001E
  --json                print every number as one JSON document
  --out DIR             write DIR/index.html (self-contained report) and
                        DIR/stats.json
  --threads N           encode on N threads (default 2)
  --hunspell-dir DIR    Hunspell dictionaries (default /usr/share/hunspell)
Without --json or --out, prints a summary table.
)";

absl::StatusOr<std::vector<stats::CorpusFile>> CorpusFromArgs(const Args& args) {
  std::vector<stats::CorpusFile> corpus;
  if (!args.positional().empty()) {
    if (args.Value("--corpus")) return absl::InvalidArgumentError("give --corpus DIR or FILEs, not both");
    std::set<std::string> categories;
    for (const std::string& path : args.positional()) {
      // Categories are keys of the JSON output and columns of the report.
      if (!categories.insert(CategoryOf(path)).second) {
        return absl::InvalidArgumentError(
            absl::StrFormat("two corpus files make category \"%s\" (%s)", CategoryOf(path), path));
      }
      corpus.push_back({CategoryOf(path), path});
    }
    return corpus;
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> files =
      ListCorpusDir(args.Value("--corpus").value_or(DefaultCorpusDir()));
  if (!files.ok()) return files.status();
  for (const auto& [category, path] : *files) corpus.push_back({category, path});
  return corpus;
}

// "llama3.json" -> "llama3"; a model folder by its name; repeated names get
// "#2", "#3", ... so that every column of the report is distinct.
std::string TokenizerName(const std::string& path, std::set<std::string>* taken) {
  fs::path p(path);
  if (p.filename().empty()) p = p.parent_path();
  std::string name = fs::is_directory(p) ? p.filename().string() : p.stem().string();
  std::string unique = name;
  for (int k = 2; !taken->insert(unique).second; ++k) unique = absl::StrFormat("%s#%d", name, k);
  return unique;
}

std::string Summary(const stats::StatsReport& report) {
  std::string s = absl::StrFormat("%-14s %8s %8s %8s %8s %8s %8s %8s\n", "tokenizer", "vocab", "bytes/t", "chars/t",
                                  "tok/word", "split", "renyi", "MB/s");
  for (const stats::TokenizerStats& t : report.tokenizers) {
    absl::StrAppendFormat(&s, "%-14s %8d %8.3f %8.3f %8.3f %8.3f %8.3f %8.2f\n", t.name, t.facts.vocab_size,
                          stats::BytesPerToken(t.overall), stats::CharactersPerToken(t.overall),
                          stats::TokensPerWord(t.overall), stats::SplitWordShare(t.overall),
                          t.overall.renyi_efficiency, stats::EncodeMegabytesPerSecond(t));
  }
  absl::StrAppendFormat(&s, "%d categories, %.1f s (--json or --out DIR for every number)\n", report.categories.size(),
                        report.seconds);
  return s;
}

}  // namespace

absl::Status RunStats(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--json"};
  spec.values = {{"--corpus", "--corpus"},
                 {"--out", "--out"},
                 {"--threads", "--threads"},
                 {"--hunspell-dir", "--hunspell-dir"}};
  AddTokenizerOptions(&spec);
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  if (args->Has("--help")) return PrintHelp(kHelp);
  const std::vector<std::string> paths = args->Values("--tokenizer");
  if (paths.empty()) return absl::InvalidArgumentError("missing -t PATH (see --help)");
  absl::StatusOr<int> threads = args->IntValue("--threads", 2, 1, 256);
  if (!threads.ok()) return threads.status();
  stats::StatsOptions options;
  options.threads = *threads;
  if (std::optional<std::string> dir = args->Value("--hunspell-dir")) options.hunspell_dir = *dir;

  // Bad input is refused before the slow work: the corpus first, then every
  // tokenizer is loaded.
  absl::StatusOr<std::vector<stats::CorpusFile>> corpus = CorpusFromArgs(*args);
  if (!corpus.ok()) return corpus.status();
  for (const stats::CorpusFile& file : *corpus) {
    if (absl::Status s = stats::ValidateCorpusFile(file.path); !s.ok()) return s;
  }
  LoadOptions load_options;
  load_options.tiktoken_pattern = args->Value("--pattern").value_or("");
  std::vector<std::unique_ptr<Tokenizer>> loaded;
  std::vector<stats::NamedTokenizer> tokenizers;
  std::set<std::string> names;
  for (const std::string& path : paths) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::unique_ptr<Tokenizer>> tok = LoadTokenizer(path, load_options);
    if (!tok.ok()) {
      // Loader messages usually name the file already.
      const std::string message(tok.status().message());
      return absl::Status(tok.status().code(), absl::StrContains(message, path)
                                                   ? message
                                                   : absl::StrFormat("tokenizer %s: %s", path, message));
    }
    loaded.push_back(*std::move(tok));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    tokenizers.push_back({TokenizerName(path, &names), path, loaded.back().get(), seconds});
  }

  absl::StatusOr<stats::StatsReport> report = stats::ComputeStats(tokenizers, *corpus, options);
  if (!report.ok()) return report.status();
  const std::string json = stats::StatsToJson(*report);
  if (std::optional<std::string> out_dir = args->Value("--out")) {
    if (absl::Status s = WriteReportFolder(*out_dir, {{"index.html", stats::StatsToHtml(*report)}, {"stats.json", json}});
        !s.ok()) {
      return s;
    }
  }
  Output out;
  if (args->Has("--json")) {
    out.Append(json);
  } else if (!args->Value("--out")) {
    out.Append(Summary(*report));
  }
  return out.Flush();
}

}  // namespace tokgraft::cli
