// Metaspace: sentencepiece-style spaces. Spaces become the replacement
// character (U+2581 "▁"), a replacement is prepended per the scheme, and
// pieces are optionally split before each replacement.
#include "absl/strings/str_format.h"
#include "pre_tokenizers/pre_tokenizers.h"
#include "pre_tokenizers/rewrite_pieces.h"
#include "pre_tokenizers/split_parts.h"

namespace tokgraft {
namespace {

class MetaspacePreTokenizer : public PreTokenizer {
 public:
  MetaspacePreTokenizer(std::string replacement, PrependScheme scheme, bool split)
      : replacement_(std::move(replacement)), scheme_(scheme), split_(split) {}

  void PreTokenize(PreTokenized* pre) const override {
    RewritePieces(pre, [this, pre](AlignedStringBuilder& out, ByteSpan piece) {
      const std::string& text = pre->text.text();
      const std::string_view view(text.data() + piece.begin, piece.end - piece.begin);
      const bool starts_replaced = view[0] == ' ' || view.substr(0, replacement_.size()) == replacement_;
      // "First" means the start of the caller's whole input.
      const bool at_input_start = piece.begin == 0 && pre->at_input_start;
      if (!starts_replaced &&
          (scheme_ == PrependScheme::kAlways || (scheme_ == PrependScheme::kFirst && at_input_start))) {
        out.Insert(replacement_, InsertionOrigin(pre->text, piece.begin));
      }
      uint32_t copied = piece.begin;
      for (uint32_t i = piece.begin; i < piece.end; ++i) {
        if (text[i] != ' ') continue;
        out.Copy(copied, i);
        out.Insert(replacement_, InsertionOrigin(pre->text, i));
        copied = i + 1;
      }
      out.Copy(copied, piece.end);
    });
    if (!split_) return;
    SplitEachPiece(pre, SplitBehavior::kMergedWithNext, false,
                   [this](std::string_view piece, std::vector<ByteSpan>* matches) {
                     for (size_t at = piece.find(replacement_); at != std::string_view::npos;
                          at = piece.find(replacement_, at + replacement_.size())) {
                       matches->push_back({static_cast<uint32_t>(at),
                                           static_cast<uint32_t>(at + replacement_.size())});
                     }
                   });
  }

  std::string Describe() const override {
    const char* scheme = scheme_ == PrependScheme::kAlways  ? "always"
                         : scheme_ == PrependScheme::kFirst ? "first"
                                                            : "never";
    return absl::StrFormat("Metaspace(\"%s\", prepend=%s, split=%s)", replacement_, scheme,
                           split_ ? "true" : "false");
  }

 private:
  std::string replacement_;
  PrependScheme scheme_;
  bool split_;
};

}  // namespace

std::unique_ptr<PreTokenizer> MakeMetaspacePreTokenizer(std::string replacement,
                                                        PrependScheme scheme, bool split) {
  return std::make_unique<MetaspacePreTokenizer>(std::move(replacement), scheme, split);
}

}  // namespace tokgraft
