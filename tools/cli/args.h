// Command-line parsing shared by the subcommands: flags, options with a value
// ("-t X", "--threads=2"), and positional arguments, checked against what the
// command declares so that a typo is an error rather than silently ignored.
#ifndef TOKGRAFT_TOOLS_CLI_ARGS_H_
#define TOKGRAFT_TOOLS_CLI_ARGS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::cli {

struct ArgSpec {
  std::set<std::string> flags;               // e.g. "--jsonl"
  std::map<std::string, std::string> values;  // option -> canonical name, e.g. "-t" -> "--tokenizer"
};

class Args {
 public:
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& argv, const ArgSpec& spec);

  bool Has(const std::string& flag) const { return flags_.count(flag) > 0; }
  // The last value given for an option (a repeated option overrides).
  std::optional<std::string> Value(const std::string& name) const;
  // Every value given, in order, for options that may repeat.
  std::vector<std::string> Values(const std::string& name) const;
  absl::StatusOr<int> IntValue(const std::string& name, int fallback, int min, int max) const;
  absl::StatusOr<double> DoubleValue(const std::string& name, double fallback, double min, double max) const;
  absl::StatusOr<uint64_t> Uint64Value(const std::string& name, uint64_t fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::set<std::string> flags_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// Adds -t/--tokenizer and --pattern, which every command that reads a
// tokenizer takes.
void AddTokenizerOptions(ArgSpec* spec);
// Loads the tokenizer those options name; fails if -t is missing.
absl::StatusOr<std::unique_ptr<Tokenizer>> LoadTokenizerFromArgs(const Args& args);

}  // namespace tokgraft::cli

#endif  // TOKGRAFT_TOOLS_CLI_ARGS_H_
