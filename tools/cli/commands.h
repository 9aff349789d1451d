// The tokgraft subcommands. Each returns OK or the error to report; main()
// turns that into a message and an exit code in one place.
#ifndef TOKGRAFT_TOOLS_CLI_COMMANDS_H_
#define TOKGRAFT_TOOLS_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace tokgraft::cli {

struct Command {
  const char* name;
  const char* summary;
  absl::Status (*run)(const std::vector<std::string>& args);
};

absl::Status RunEncode(const std::vector<std::string>& args);
absl::Status RunDecode(const std::vector<std::string>& args);
absl::Status RunInfo(const std::vector<std::string>& args);
absl::Status RunTrain(const std::vector<std::string>& args);
absl::Status RunCount(const std::vector<std::string>& args);
absl::Status RunEval(const std::vector<std::string>& args);
absl::Status RunMergeBatch(const std::vector<std::string>& args);
absl::Status RunStats(const std::vector<std::string>& args);
absl::Status RunTransplant(const std::vector<std::string>& args);
absl::Status RunMixture(const std::vector<std::string>& args);
absl::Status RunBytes(const std::vector<std::string>& args);

// Prints `text` to stdout (for --help).
absl::Status PrintHelp(const char* text);

}  // namespace tokgraft::cli

#endif  // TOKGRAFT_TOOLS_CLI_COMMANDS_H_
