#include "word_count_inputs.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace tokgraft::cli {

absl::StatusOr<WordCounts> WordCountsOfInputs(std::shared_ptr<const WordSplitter> splitter,
                                              const std::vector<std::string>& files, bool files_are_counts,
                                              int threads, Progress* progress) {
  if (files_are_counts) return ReadCountFiles(std::move(splitter), files);
  return CountFiles(std::move(splitter), files, threads, [progress](uint64_t bytes) {
    progress->Update(absl::StrFormat("counting words: %.1f MB (%.1f MB/s)", bytes / 1e6,
                                     bytes / 1e6 / std::max(progress->Elapsed(), 1e-9)));
  });
}

}  // namespace tokgraft::cli
