#include "corpus_files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_format.h"

namespace tokgraft::cli {

namespace fs = std::filesystem;

std::string DefaultCorpusDir() {
  if (const char* data = std::getenv("TOKGRAFT_DATA"); data != nullptr && *data) {
    return std::string(data) + "/corpus/dev";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : "") + "/.cache/tokgraft-data/corpus/dev";
}

std::string CategoryOf(const std::string& path) { return fs::path(path).stem().string(); }

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListCorpusDir(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return absl::InvalidArgumentError(absl::StrFormat("corpus %s is not a directory", dir));
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".txt") files.emplace_back(CategoryOf(entry.path()), entry.path().string());
  }
  if (error) return absl::InvalidArgumentError(absl::StrFormat("cannot list %s: %s", dir, error.message()));
  if (files.empty()) return absl::InvalidArgumentError(absl::StrFormat("empty corpus: no .txt files in %s", dir));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace tokgraft::cli
