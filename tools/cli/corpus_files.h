// The corpus folders commands read by default: $TOKGRAFT_DATA/corpus/dev, one
// category per DIR/*.txt file, named by its stem.
#ifndef TOKGRAFT_TOOLS_CLI_CORPUS_FILES_H_
#define TOKGRAFT_TOOLS_CLI_CORPUS_FILES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace tokgraft::cli {

// $TOKGRAFT_DATA/corpus/dev, TOKGRAFT_DATA defaulting to ~/.cache/tokgraft-data.
std::string DefaultCorpusDir();

// "dir/en.txt" -> "en".
std::string CategoryOf(const std::string& path);

// (category, path) of every DIR/*.txt, sorted by category. Fails if DIR is not
// a directory or holds no .txt file.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListCorpusDir(const std::string& dir);

}  // namespace tokgraft::cli

#endif  // TOKGRAFT_TOOLS_CLI_CORPUS_FILES_H_
