// Output files that appear whole or not at all: data goes to PATH.partial,
// which is renamed to PATH only when everything was written; on any failure
// (a full disk) the partial file is removed.
#ifndef TOKGRAFT_ATOMIC_FILE_H_
#define TOKGRAFT_ATOMIC_FILE_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tokgraft {

class AtomicFile {
 public:
  static absl::StatusOr<std::unique_ptr<AtomicFile>> Create(const std::string& path);
  // Removes the partial file unless Commit succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Failures are remembered and reported by Commit.
  void Write(std::string_view data);
  absl::Status Commit();

 private:
  AtomicFile(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  std::string path_;
  std::FILE* file_;
  int error_ = 0;
  bool committed_ = false;
};

// Writes `content` to PATH through an AtomicFile.
absl::Status WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace tokgraft

#endif  // TOKGRAFT_ATOMIC_FILE_H_
