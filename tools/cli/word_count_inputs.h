// The word counts of a command's input files, shared by `train` and `count`:
// either count files to sum, or text to count (with progress).
#ifndef TOKGRAFT_TOOLS_CLI_WORD_COUNT_INPUTS_H_
#define TOKGRAFT_TOOLS_CLI_WORD_COUNT_INPUTS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "progress.h"
#include "tokgraft/trainer.h"

namespace tokgraft::cli {

absl::StatusOr<WordCounts> WordCountsOfInputs(std::shared_ptr<const WordSplitter> splitter,
                                              const std::vector<std::string>& files, bool files_are_counts,
                                              int threads, Progress* progress);

}  // namespace tokgraft::cli

#endif  // TOKGRAFT_TOOLS_CLI_WORD_COUNT_INPUTS_H_
