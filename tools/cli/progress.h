// Progress on stderr for long commands: redrawn in place on a terminal,
// a line every few seconds otherwise (logs), nothing with --quiet.
#ifndef TOKGRAFT_TOOLS_CLI_PROGRESS_H_
#define TOKGRAFT_TOOLS_CLI_PROGRESS_H_

#include <chrono>
#include <string>

namespace tokgraft::cli {

class Progress {
 public:
  explicit Progress(bool enabled);
  // Shows `text` if enough time passed since the last update (or `force`).
  void Update(const std::string& text, bool force = false);
  // Ends the current line (on a terminal).
  void Done();
  // Seconds since construction.
  double Elapsed() const;

 private:
  bool enabled_;
  bool terminal_;
  bool line_open_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace tokgraft::cli

#endif  // TOKGRAFT_TOOLS_CLI_PROGRESS_H_
