// tokgraft: one binary, one subcommand per file.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"

namespace {

using tokgraft::cli::Command;

const Command kCommands[] = {
    {"encode", "text -> token ids (tokenizer.json, .tiktoken, .model, model folder)", tokgraft::cli::RunEncode},
    {"decode", "token ids -> text", tokgraft::cli::RunDecode},
    {"info", "what a tokenizer is: format, model, vocabulary, pipeline, special tokens", tokgraft::cli::RunInfo},
    {"train", "learn a BPE vocabulary from text or word counts; writes tokenizer.json", tokgraft::cli::RunTrain},
    {"count", "text shards -> word-count files that add up (for training at scale)", tokgraft::cli::RunCount},
    {"eval", "bits per byte of a Llama-family checkpoint on corpus files", tokgraft::cli::RunEval},
    {"merge-batch", "dynamic merging: batch-level BPE over encoded documents", tokgraft::cli::RunMergeBatch},
    {"stats", "compare tokenizers on a corpus: metrics as JSON and an HTML report", tokgraft::cli::RunStats},
    {"transplant", "give a model another model's vocabulary (no training); writes a model folder",
     tokgraft::cli::RunTransplant},
    {"mixture", "infer a BPE tokenizer's training mixture (languages, code) from its merges", tokgraft::cli::RunMixture},
    {"bytes", "byte-level probabilities of a tokenized model: score, complete, next", tokgraft::cli::RunBytes},
};

void PrintUsage(FILE* to) {
  std::fprintf(to,
               "usage: tokgraft COMMAND [OPTIONS]\n\n"
               "Tokenize, transplant and inspect language-model vocabularies.\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(to, "  %-11s %s\n", c.name, c.summary);
  std::fprintf(to, "\n'tokgraft COMMAND --help' describes a command. Exit codes: 0 success, "
                   "2 bad input or usage, 1 internal error.\n");
}

// Loading a tokenizer and filling its caches touches hundreds of megabytes of
// fresh memory, and page faults are expensive, above all on virtual machines:
// backing malloc with transparent huge pages halves load time. glibc reads
// that setting (a tunable) only at start-up, so the first thing tokgraft does
// is re-execute itself once with it set. TOKGRAFT_HUGE_PAGES=0 opts out.
void ReexecWithHugePages(char** argv) {
  const char* opt_out = std::getenv("TOKGRAFT_HUGE_PAGES");
  if (opt_out != nullptr && std::strcmp(opt_out, "0") == 0) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.hugetlb") != nullptr) return;
  const std::string value =
      tunables != nullptr && *tunables ? std::string(tunables) + ":glibc.malloc.hugetlb=1" : "glibc.malloc.hugetlb=1";
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Only reached if exec failed: run as we are.
}

}  // namespace

int main(int argc, char** argv) {
  ReexecWithHugePages(argv);
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    PrintUsage(stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("tokgraft 0.1.0\n");
    return 0;
  }
  for (const Command& c : kCommands) {
    if (name != c.name) continue;
    const absl::Status status = c.run(std::vector<std::string>(argv + 2, argv + argc));
    if (status.ok()) return 0;
    std::fprintf(stderr, "tokgraft %s: error: %s\n", c.name, std::string(status.message()).c_str());
    return status.code() == absl::StatusCode::kInternal ? 1 : 2;
  }
  std::fprintf(stderr, "tokgraft: unknown command '%s'\n\n", name.c_str());
  PrintUsage(stderr);
  return 2;
}
