#include "tokgraft/atomic_file.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_format.h"

namespace tokgraft {

absl::StatusOr<std::unique_ptr<AtomicFile>> AtomicFile::Create(const std::string& path) {
  std::FILE* file = std::fopen((path + ".partial").c_str(), "wb");
  if (file == nullptr) {
    return absl::InvalidArgumentError(absl::StrFormat("cannot write %s: %s", path, std::strerror(errno)));
  }
  return std::unique_ptr<AtomicFile>(new AtomicFile(path, file));
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) std::remove((path_ + ".partial").c_str());
}

void AtomicFile::Write(std::string_view data) {
  if (error_ == 0 && std::fwrite(data.data(), 1, data.size(), file_) != data.size()) error_ = errno ? errno : EIO;
}

absl::Status AtomicFile::Commit() {
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (error_ == 0 && closed != 0) error_ = errno ? errno : EIO;
  if (error_ == 0 && std::rename((path_ + ".partial").c_str(), path_.c_str()) != 0) error_ = errno;
  if (error_ != 0) {
    return absl::ResourceExhaustedError(absl::StrFormat("cannot write %s: %s", path_, std::strerror(error_)));
  }
  committed_ = true;
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view content) {
  absl::StatusOr<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(path);
  if (!file.ok()) return file.status();
  (*file)->Write(content);
  return (*file)->Commit();
}

}  // namespace tokgraft
