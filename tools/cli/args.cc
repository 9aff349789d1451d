#include "args.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

namespace tokgraft::cli {

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& argv, const ArgSpec& spec) {
  Args args;
  bool only_positional = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (only_positional || arg.size() < 2 || arg[0] != '-') {
      args.positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      args.flags_.insert("--help");
      continue;
    }
    std::string name = arg;
    std::optional<std::string> inline_value;
    if (size_t eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    if (spec.flags.count(name)) {
      if (inline_value) return absl::InvalidArgumentError(absl::StrFormat("%s takes no value", name));
      args.flags_.insert(name);
      continue;
    }
    auto value_spec = spec.values.find(name);
    if (value_spec == spec.values.end()) {
      return absl::InvalidArgumentError(absl::StrFormat("unknown option %s (see --help)", name));
    }
    if (!inline_value) {
      if (i + 1 >= argv.size()) return absl::InvalidArgumentError(absl::StrFormat("%s needs a value", name));
      inline_value = argv[++i];
    }
    args.values_[value_spec->second].push_back(*inline_value);
  }
  return args;
}

std::optional<std::string> Args::Value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::Values(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

absl::StatusOr<int> Args::IntValue(const std::string& name, int fallback, int min, int max) const {
  std::optional<std::string> v = Value(name);
  if (!v) return fallback;
  int n;
  if (!absl::SimpleAtoi(*v, &n) || n < min || n > max) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: \"%s\" is not a whole number from %d to %d", name, *v, min, max));
  }
  return n;
}

absl::StatusOr<double> Args::DoubleValue(const std::string& name, double fallback, double min,
                                         double max) const {
  std::optional<std::string> v = Value(name);
  if (!v) return fallback;
  double x;
  // The negated test also rejects NaN.
  if (!absl::SimpleAtod(*v, &x) || !(x >= min && x <= max)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: \"%s\" is not a number from %g to %g", name, *v, min, max));
  }
  return x;
}

absl::StatusOr<uint64_t> Args::Uint64Value(const std::string& name, uint64_t fallback) const {
  std::optional<std::string> v = Value(name);
  if (!v) return fallback;
  uint64_t n;
  if (!absl::SimpleAtoi(*v, &n)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: \"%s\" is not a whole number from 0 to %d", name, *v, UINT64_MAX));
  }
  return n;
}

void AddTokenizerOptions(ArgSpec* spec) {
  spec->values["-t"] = "--tokenizer";
  spec->values["--tokenizer"] = "--tokenizer";
  spec->values["--pattern"] = "--pattern";
}

absl::StatusOr<std::unique_ptr<Tokenizer>> LoadTokenizerFromArgs(const Args& args) {
  std::optional<std::string> path = args.Value("--tokenizer");
  if (!path) return absl::InvalidArgumentError("missing -t PATH (see --help)");
  LoadOptions options;
  options.tiktoken_pattern = args.Value("--pattern").value_or("");
  return LoadTokenizer(*path, options);
}

}  // namespace tokgraft::cli
