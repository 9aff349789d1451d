// ByteLevel: GPT-2's pre-tokenizer. The byte-to-character mapping itself is
// folded into the byte-level BPE model, so only splitting is left here.
#include "absl/strings/str_format.h"
#include "pre_tokenizers/pre_tokenizers.h"
#include "pre_tokenizers/published_patterns.h"
#include "pre_tokenizers/rewrite_pieces.h"
#include "pre_tokenizers/split_parts.h"
#include "pre_tokenizers/split_regex.h"

namespace tokgraft {

namespace {

class ByteLevelPreTokenizer : public PreTokenizer {
 public:
  ByteLevelPreTokenizer(bool add_prefix_space, std::unique_ptr<SplitRegex> regex)
      : add_prefix_space_(add_prefix_space), regex_(std::move(regex)) {}

  void PreTokenize(PreTokenized* pre) const override {
    if (add_prefix_space_) {
      RewritePieces(pre, [pre](AlignedStringBuilder& out, ByteSpan piece) {
        if (pre->text.text()[piece.begin] != ' ') {
          out.Insert(" ", InsertionOrigin(pre->text, piece.begin));
        }
        out.Copy(piece.begin, piece.end);
      });
    }
    if (regex_) {
      SplitEachPiece(pre, SplitBehavior::kIsolated, false,
                     [this](std::string_view piece, std::vector<ByteSpan>* matches) {
                       regex_->FindMatches(piece, matches);
                     });
    }
  }

  std::string Describe() const override {
    return absl::StrFormat("ByteLevel(add_prefix_space=%s, use_regex=%s)",
                           add_prefix_space_ ? "true" : "false", regex_ ? "true" : "false");
  }

 private:
  bool add_prefix_space_;
  std::unique_ptr<SplitRegex> regex_;  // null without use_regex
};

}  // namespace

absl::StatusOr<std::unique_ptr<PreTokenizer>> MakeByteLevelPreTokenizer(bool add_prefix_space,
                                                                        bool use_regex) {
  std::unique_ptr<SplitRegex> regex;
  if (use_regex) {
    auto compiled = SplitRegex::Compile(patterns::kGpt2);
    if (!compiled.ok()) return compiled.status();
    regex = *std::move(compiled);
  }
  return std::make_unique<ByteLevelPreTokenizer>(add_prefix_space, std::move(regex));
}

}  // namespace tokgraft
