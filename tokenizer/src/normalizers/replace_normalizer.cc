#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "aligned_string.h"
#include "normalizers/normalizers.h"
#include "normalizers/replace_pattern.h"

namespace tokgraft {
namespace {

class ReplaceNormalizer : public Normalizer {
 public:
  ReplaceNormalizer(ReplacePattern pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}

  void Normalize(AlignedString* text) const override {
    std::vector<ByteSpan> matches;
    pattern_.FindMatches(text->text(), &matches);
    if (matches.empty()) return;
    AlignedStringBuilder out(*text);
    size_t copied = 0;
    for (const ByteSpan& match : matches) {
      out.Copy(copied, match.begin);
      // The reference inserts the replacement after the matched characters
      // are dropped, so it maps to the last of them.
      out.AppendInserted(content_, match.end);
      copied = match.end;
    }
    out.Copy(copied, text->size());
    *text = std::move(out).Finish();
  }

  std::string Describe() const override {
    return absl::StrCat("Replace(", pattern_.Describe(), " -> \"",
                        absl::Utf8SafeCEscape(content_), "\")");
  }

 private:
  ReplacePattern pattern_;
  std::string content_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Normalizer>> MakeReplaceNormalizer(std::string pattern,
                                                                  bool pattern_is_regex,
                                                                  std::string content) {
  absl::StatusOr<ReplacePattern> compiled =
      ReplacePattern::Create(std::move(pattern), pattern_is_regex);
  if (!compiled.ok()) return compiled.status();
  return std::make_unique<ReplaceNormalizer>(*std::move(compiled), std::move(content));
}

}  // namespace tokgraft
