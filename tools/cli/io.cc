#include "io.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_format.h"
#include "simdjson.h"

namespace tokgraft::cli {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  if (path == "-") {
    std::ostringstream all;
    all << std::cin.rdbuf();
    return all.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrFormat("cannot read %s: %s", path, std::strerror(errno)));
  std::ostringstream all;
  all << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrFormat("error while reading %s", path));
  return all.str();
}

absl::Status ForEachJsonStringLine(std::string_view text, const std::string& file,
                                   const std::function<absl::Status(std::string_view)>& visit) {
  simdjson::dom::parser parser;
  return ForEachLine(text, [&](size_t line_number, std::string_view line) -> absl::Status {
    std::string_view value;
    simdjson::dom::element doc;
    if (parser.parse(simdjson::padded_string(line)).get(doc) != simdjson::SUCCESS ||
        doc.get_string().get(value) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError(absl::StrFormat("%s:%d: not a JSON string", file, line_number));
    }
    return visit(value);
  });
}

void AppendIds(const Encoding& encoding, bool with_offsets, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < encoding.ids.size(); ++i) {
    if (i) out->push_back(',');
    if (with_offsets) {
      absl::StrAppendFormat(out, "[%d,%d,%d]", encoding.ids[i], encoding.offsets[i].begin,
                            encoding.offsets[i].end);
    } else {
      absl::StrAppendFormat(out, "%d", encoding.ids[i]);
    }
  }
  out->push_back(']');
}

std::vector<std::string_view> SplitDocuments(std::string_view text) {
  std::vector<std::string_view> docs;
  size_t begin = 0;
  size_t line = 0;
  while (line <= text.size()) {
    size_t eol = text.find('\n', line);
    if (eol == std::string_view::npos) eol = text.size();
    if (text.substr(line, eol - line) == "\x1e") {
      if (line > begin) docs.push_back(text.substr(begin, line - begin));
      begin = std::min(eol + 1, text.size());
    }
    line = eol + 1;
  }
  if (begin < text.size()) docs.push_back(text.substr(begin));
  return docs;
}

absl::Status Output::MaybeFlush() {
  if (buffer_.size() < (1 << 20)) return absl::OkStatus();
  return Flush();
}

absl::Status Output::Flush() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), stdout) != buffer_.size()) {
    return absl::DataLossError(absl::StrFormat("cannot write output: %s", std::strerror(errno)));
  }
  buffer_.clear();
  if (std::fflush(stdout) != 0) {
    return absl::DataLossError(absl::StrFormat("cannot write output: %s", std::strerror(errno)));
  }
  return absl::OkStatus();
}

// The first n characters (code points) of UTF-8 text; invalid bytes count as one.
std::string FirstCharacters(const std::string& text, int n) {
  size_t end = 0;
  for (int count = 0; end < text.size() && count < n; ++count) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return text.substr(0, end);
}

absl::Status WriteReportFolder(const std::string& dir,
                               const std::vector<std::pair<std::string, std::string>>& files) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return absl::InvalidArgumentError(absl::StrFormat("cannot create %s: %s", dir, error.message()));
  const std::string staging = absl::StrFormat("%s/.report-partial-%d", dir, getpid());
  fs::create_directory(staging, error);
  if (error) return absl::InvalidArgumentError(absl::StrFormat("cannot write %s: %s", dir, error.message()));
  absl::Status status = absl::OkStatus();
  for (const auto& [name, content] : files) {
    if (status.ok()) status = WriteFileAtomically(staging + "/" + name, content);
  }
  for (const auto& [name, content] : files) {
    if (!status.ok()) break;
    fs::rename(staging + "/" + name, dir + "/" + name, error);
    if (error) status = absl::ResourceExhaustedError(absl::StrFormat("cannot write %s/%s: %s", dir, name, error.message()));
  }
  fs::remove_all(staging, error);
  return status;
}

}  // namespace tokgraft::cli
