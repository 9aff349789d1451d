// Split: cut pieces on a literal string or a regex.
#include "absl/strings/str_format.h"
#include "pre_tokenizers/split_parts.h"
#include "pre_tokenizers/split_regex.h"

namespace tokgraft {
namespace {

const char* BehaviorName(SplitBehavior b) {
  switch (b) {
    case SplitBehavior::kRemoved: return "Removed";
    case SplitBehavior::kIsolated: return "Isolated";
    case SplitBehavior::kMergedWithPrevious: return "MergedWithPrevious";
    case SplitBehavior::kMergedWithNext: return "MergedWithNext";
    case SplitBehavior::kContiguous: return "Contiguous";
  }
  return "?";
}

class SplitPreTokenizer : public PreTokenizer {
 public:
  SplitPreTokenizer(std::string pattern, std::unique_ptr<SplitRegex> regex, SplitBehavior behavior,
                    bool invert)
      : pattern_(std::move(pattern)), regex_(std::move(regex)), behavior_(behavior),
        invert_(invert) {}

  void PreTokenize(PreTokenized* pre) const override {
    if (regex_) {
      SplitEachPiece(pre, behavior_, invert_, [this](std::string_view piece, auto* matches) {
        regex_->FindMatches(piece, matches);
      });
      return;
    }
    SplitEachPiece(pre, behavior_, invert_, [this](std::string_view piece, auto* matches) {
      if (pattern_.empty()) return;
      for (size_t at = piece.find(pattern_); at != std::string_view::npos;
           at = piece.find(pattern_, at + pattern_.size())) {
        matches->push_back({static_cast<uint32_t>(at), static_cast<uint32_t>(at + pattern_.size())});
      }
    });
  }

  std::string Describe() const override {
    return absl::StrFormat("Split(%s %s, %s%s)", regex_ ? "regex" : "string", pattern_,
                           BehaviorName(behavior_), invert_ ? ", inverted" : "");
  }

 private:
  std::string pattern_;
  std::unique_ptr<SplitRegex> regex_;  // null for a literal pattern
  SplitBehavior behavior_;
  bool invert_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<PreTokenizer>> MakeSplitPreTokenizer(std::string pattern,
                                                                    bool pattern_is_regex,
                                                                    SplitBehavior behavior,
                                                                    bool invert) {
  std::unique_ptr<SplitRegex> regex;
  if (pattern_is_regex) {
    auto compiled = SplitRegex::Compile(pattern);
    if (!compiled.ok()) return compiled.status();
    regex = *std::move(compiled);
  }
  return std::make_unique<SplitPreTokenizer>(std::move(pattern), std::move(regex), behavior,
                                             invert);
}

}  // namespace tokgraft
