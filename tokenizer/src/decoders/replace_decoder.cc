#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "decoders/decoders.h"
#include "normalizers/replace_pattern.h"

namespace tokgraft {
namespace {

class ReplaceDecoder : public Decoder {
 public:
  ReplaceDecoder(ReplacePattern pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}

  void DecodeChain(std::vector<std::string>* tokens) const override {
    std::vector<ByteSpan> matches;
    for (std::string& token : *tokens) {
      matches.clear();
      pattern_.FindMatches(token, &matches);
      if (matches.empty()) continue;
      std::string replaced;
      size_t copied = 0;
      for (const ByteSpan& match : matches) {
        replaced.append(token, copied, match.begin - copied);
        replaced += content_;
        copied = match.end;
      }
      replaced.append(token, copied);
      token = std::move(replaced);
    }
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

absl::StatusOr<std::unique_ptr<Decoder>> MakeReplaceDecoder(std::string pattern,
                                                            bool pattern_is_regex,
                                                            std::string content) {
  absl::StatusOr<ReplacePattern> compiled =
      ReplacePattern::Create(std::move(pattern), pattern_is_regex);
  if (!compiled.ok()) return compiled.status();
  return std::make_unique<ReplaceDecoder>(*std::move(compiled), std::move(content));
}

}  // namespace tokgraft
