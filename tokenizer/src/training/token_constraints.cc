#include "training/token_constraints.h"

#include "byte_level_alphabet.h"

namespace tokgraft {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

TokenConstraints::TokenConstraints(const BpeTrainerOptions& options, bool byte_level,
                                   const std::vector<std::string>& tokens, const std::vector<uint32_t>& units)
    : max_length_(options.max_token_length),
      max_words_(options.max_words_per_token),
      forbid_colon_space_(options.forbid_colon_space),
      byte_level_(byte_level),
      tokens_(tokens),
      units_(units) {}

const TokenConstraints::Summary& TokenConstraints::SummaryOf(uint32_t id) {
  while (summaries_.size() <= id) {
    const std::string& token = tokens_[summaries_.size()];
    std::string bytes;
    if (!byte_level_ || !byte_level::MappedToBytes(token, &bytes)) bytes = token;
    Summary s;
    if (!bytes.empty()) {
      s.starts_with_space = IsSpace(bytes.front());
      s.ends_with_space = IsSpace(bytes.back());
      s.starts_with_space_byte = bytes.front() == ' ';
      s.ends_with_colon = bytes.back() == ':';
    }
    for (size_t i = 0; i < bytes.size(); ++i) {
      if (!IsSpace(bytes[i]) && (i == 0 || IsSpace(bytes[i - 1]))) ++s.words;
      if (bytes[i] == ':' && i + 1 < bytes.size() && bytes[i + 1] == ' ') s.has_colon_space = true;
    }
    summaries_.push_back(s);
  }
  return summaries_[id];
}

bool TokenConstraints::Allows(uint32_t left, uint32_t right) {
  if (max_length_ > 0 && units_[left] + units_[right] > max_length_) return false;
  if (max_words_ == 0 && !forbid_colon_space_) return true;
  const Summary a = SummaryOf(left);
  const Summary& b = SummaryOf(right);
  if (max_words_ > 0) {
    // A word running across the join is counted once.
    const bool joined = a.words > 0 && b.words > 0 && !a.ends_with_space && !b.starts_with_space;
    if (a.words + b.words - (joined ? 1 : 0) > max_words_) return false;
  }
  if (forbid_colon_space_ &&
      (a.has_colon_space || b.has_colon_space || (a.ends_with_colon && b.starts_with_space_byte))) {
    return false;
  }
  return true;
}

}  // namespace tokgraft
