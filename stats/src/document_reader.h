// Streams the documents of a corpus file (separated by a line holding only
// U+001E) in batches, so that memory does not grow with the file.
#ifndef TOKGRAFT_STATS_DOCUMENT_READER_H_
#define TOKGRAFT_STATS_DOCUMENT_READER_H_

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tokgraft::stats {

class DocumentReader {
 public:
  static absl::StatusOr<DocumentReader> Open(const std::string& path);

  // Replaces `docs` by the next documents, about `max_bytes` of them (at least
  // one document, however long). Returns false at the end of the file. Fails,
  // naming the file and byte offset, on invalid UTF-8.
  absl::StatusOr<bool> NextBatch(size_t max_bytes, std::vector<std::string>* docs);

 private:
  DocumentReader(std::string path, std::ifstream in) : path_(std::move(path)), in_(std::move(in)) {}

  std::string path_;
  std::ifstream in_;
  uint64_t offset_ = 0;  // bytes of the file read so far
};

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_DOCUMENT_READER_H_
