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

  absl::StatusOr<Encoding> encoding = tokenizer.Encode(kNumberProbe);
  if (!encoding.ok()) return encoding.status();
  // Each digit run of the probe, as the digit counts of its tokens. Token
  // bytes, not offsets, decide: a prepended "▁" may carry the offsets of the
  // first character.
  std::vector<std::vector<size_t>> runs;
  bool in_run = false;
  for (uint32_t id : encoding->ids) {
    const std::string_view piece = id < table.vocab_size() ? std::string_view(table.bytes[id]) : std::string_view();
    const size_t first = piece.find_first_of("0123456789");
    if (first == std::string_view::npos) {
      in_run = false;
      continue;
    }
    numbers.probe_pieces.emplace_back(piece);
    if (!in_run || first > 0) runs.emplace_back();
    runs.back().push_back(std::count_if(piece.begin(), piece.end(), IsDigit));
    in_run = piece.find_last_of("0123456789") + 1 == piece.size();
  }
  numbers.observed_grouping = ClassifyDigitGroups(runs);
  // Groups from one end are a special case of "groups of 1-3".
  const bool observed_1_3 = numbers.observed_grouping.rfind("groups of", 0) == 0;
  numbers.consistent = numbers.observed_grouping == numbers.vocabulary_grouping ||
                       (numbers.vocabulary_grouping == "groups of 1-3" && observed_1_3);
  return numbers;
}

}  // namespace tokgraft::stats
