// tokgraft: one binary, one subcommand per file.
#include <cstdio>
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
};

void PrintUsage(FILE* to) {
  std::fprintf(to,
               "usage: tokgraft COMMAND [OPTIONS]\n\n"
               "Tokenize, transplant and inspect language-model vocabularies.\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(to, "  %-8s %s\n", c.name, c.summary);
  std::fprintf(to, "\n'tokgraft COMMAND --help' describes a command. Exit codes: 0 success, "
                   "2 bad input or usage, 1 internal error.\n");
}

}  // namespace

int main(int argc, char** argv) {
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
