#include "document_reader.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_format.h"
#include "unicode/utf8.h"

namespace tokgraft::stats {
namespace {

// Offset of the first invalid UTF-8 sequence in `s`, or -1.
int64_t FirstInvalidUtf8(std::string_view s) {
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(s.size());
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s.data(), i, length, c);
    if (c < 0) return start;
  }
  return -1;
}

}  // namespace

absl::StatusOr<DocumentReader> DocumentReader::Open(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrFormat("cannot read %s: %s", path, std::strerror(errno)));
  return DocumentReader(path, std::move(in));
}

absl::StatusOr<bool> DocumentReader::NextBatch(size_t max_bytes, std::vector<std::string>* docs) {
  docs->clear();
  size_t batch_bytes = 0;
  std::string doc;
  std::string line;
  // A document ends at a separator line or at the end of the file; the batch
  // ends after the document that makes it reach max_bytes.
  while (std::getline(in_, line)) {
    const bool newline = !in_.eof();
    if (const int64_t bad = FirstInvalidUtf8(line); bad >= 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: invalid UTF-8 at byte %d", path_, offset_ + static_cast<uint64_t>(bad)));
    }
    offset_ += line.size() + (newline ? 1 : 0);
    if (line == "\x1e") {
      if (!doc.empty()) {
        batch_bytes += doc.size();
        docs->push_back(std::move(doc));
        doc.clear();
        if (batch_bytes >= max_bytes) return true;
      }
      continue;
    }
    doc += line;
    if (newline) doc.push_back('\n');
  }
  if (in_.bad()) return absl::DataLossError(absl::StrFormat("error while reading %s", path_));
  if (!doc.empty()) docs->push_back(std::move(doc));
  return !docs->empty();
}

}  // namespace tokgraft::stats
