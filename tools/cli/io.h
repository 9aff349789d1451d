// Input and output helpers for the CLI: whole files or stdin in, JSON text out.
#ifndef TOKGRAFT_TOOLS_CLI_IO_H_
#define TOKGRAFT_TOOLS_CLI_IO_H_

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/atomic_file.h"
#include "tokgraft/json_string.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::cli {

// Reads a whole file ("-" is stdin).
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Appends [1,2,3], or with offsets [[1,0,3],[2,3,5]].
void AppendIds(const Encoding& encoding, bool with_offsets, std::string* out);

// Splits benchmark/corpus text into documents: a line holding only U+001E
// separates them; empty documents are skipped.
std::vector<std::string_view> SplitDocuments(std::string_view text);

// Calls visit(line_number, line) for each non-empty line of `text` (a lone
// "\r" counts as empty, as in the reference's tool), stopping at the first error.
template <typename Visit>
absl::Status ForEachLine(std::string_view text, Visit visit) {
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    ++line_number;
    if (line.empty() || line == "\r") continue;
    if (absl::Status s = visit(line_number, line); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Calls visit(value) for each non-empty line of `text` that holds a JSON
// string; a line that does not is an error naming `file` and the line.
absl::Status ForEachJsonStringLine(std::string_view text, const std::string& file,
                                   const std::function<absl::Status(std::string_view)>& visit);

// The first n characters (code points) of UTF-8 text; invalid bytes count as one.
std::string FirstCharacters(const std::string& text, int n);

// The JSON summary line of a scoring command: the object `append` writes for
// `overall`, with a "files" member mapping each file to its own object.
template <typename Totals, typename Append>
std::string FilesSummaryJson(const Totals& overall, const std::vector<std::pair<std::string, Totals>>& per_file,
                             Append append) {
  std::string json;
  append(overall, &json);
  json.pop_back();  // the closing brace
  json += ",\"files\":{";
  for (size_t i = 0; i < per_file.size(); ++i) {
    if (i) json += ",";
    AppendJsonString(per_file[i].first, &json);
    json += ":";
    append(per_file[i].second, &json);
  }
  json += "}}\n";
  return json;
}

// Writes the report files (name, content) into `dir` (created if needed)
// through a staging folder inside it, then moves them into place, so that a
// failure leaves no half-written report.
absl::Status WriteReportFolder(const std::string& dir,
                               const std::vector<std::pair<std::string, std::string>>& files);

// Buffered stdout that reports write failures (a full disk) as errors.
class Output {
 public:
  void Append(std::string_view s) { buffer_.append(s.data(), s.size()); }
  std::string* buffer() { return &buffer_; }
  // Writes out the buffer once it is large; Flush() writes everything.
  absl::Status MaybeFlush();
  absl::Status Flush();

 private:
  std::string buffer_;
};

}  // namespace tokgraft::cli

#endif  // TOKGRAFT_TOOLS_CLI_IO_H_
