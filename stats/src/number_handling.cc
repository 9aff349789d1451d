#include "number_handling.h"

#include <algorithm>

namespace tokgraft::stats {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit); }

}  // namespace

std::string ClassifyDigitGroups(const std::vector<std::vector<size_t>>& runs) {
  size_t longest = 0;
  bool from_left = true;
  bool from_right = true;
  bool long_run = false;  // a run long enough to show a direction
  for (const std::vector<size_t>& run : runs) {
    for (size_t i = 0; i < run.size(); ++i) {
      longest = std::max(longest, run[i]);
      if (run[i] != 3 && i + 1 < run.size()) from_left = false;
      if (run[i] != 3 && i > 0) from_right = false;
    }
    if (run.size() > 1) long_run = true;
  }
  if (longest == 0) return "free";
  if (longest == 1) return "single digits";
  if (longest > 3) return "free";
  if (long_run && from_left && !from_right) return "groups of 3 from the left";
  if (long_run && from_right && !from_left) return "groups of 3 from the right";
  return "groups of 1-3";
}

absl::StatusOr<NumberHandling> AnalyzeNumbers(const Tokenizer& tokenizer, const TokenTable& table) {
  NumberHandling numbers;
  for (size_t id = 0; id < table.vocab_size(); ++id) {
    if (table.kinds[id] != TokenKind::kRegular || !AllDigits(table.bytes[id])) continue;
    ++numbers.digit_tokens;
    numbers.longest_digit_token = std::max(numbers.longest_digit_token, table.bytes[id].size());
  }
  numbers.vocabulary_grouping = numbers.longest_digit_token <= 1   ? "single digits"
                                : numbers.longest_digit_token <= 3 ? "groups of 1-3"
                                                                   : "free";

  const std::string probe = kNumberProbe;
  EncodeOptions options;
  options.with_offsets = true;
  absl::StatusOr<Encoding> encoding = tokenizer.Encode(probe, options);
  if (!encoding.ok()) return encoding.status();
  // Each digit run of the probe, as the digit counts of the tokens over it.
  std::vector<std::vector<size_t>> runs;
  size_t run_end = 0;  // end of the digit run being followed
  for (size_t i = 0; i < encoding->ids.size(); ++i) {
    const ByteSpan span = encoding->offsets[i];
    const std::string_view piece = std::string_view(probe).substr(span.begin, span.end - span.begin);
    const size_t digits = std::count_if(piece.begin(), piece.end(), IsDigit);
    if (digits == 0) continue;
    numbers.probe_pieces.emplace_back(piece);
    const size_t first_digit = span.begin + piece.find_first_of("0123456789");
    if (runs.empty() || first_digit != run_end) runs.emplace_back();
    runs.back().push_back(digits);
    run_end = span.begin + piece.find_last_of("0123456789") + 1;
  }
  numbers.observed_grouping = ClassifyDigitGroups(runs);
  // Groups from one end are a special case of "groups of 1-3".
  const bool observed_1_3 = numbers.observed_grouping.rfind("groups of", 0) == 0;
  numbers.consistent = numbers.observed_grouping == numbers.vocabulary_grouping ||
                       (numbers.vocabulary_grouping == "groups of 1-3" && observed_1_3);
  return numbers;
}

}  // namespace tokgraft::stats
