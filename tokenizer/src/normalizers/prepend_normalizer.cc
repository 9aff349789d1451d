#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "aligned_string.h"
#include "normalizers/normalizers.h"
#include "utf8.h"

namespace tokgraft {
namespace {

class PrependNormalizer : public Normalizer {
 public:
  explicit PrependNormalizer(std::string prefix) : prefix_(std::move(prefix)) {}

  void Normalize(AlignedString* text) const override {
    if (text->empty()) return;
    const std::string& s = text->text();
    const size_t first_len = utf8::SequenceLength(static_cast<unsigned char>(s[0]));
    const std::string_view first(s.data(), first_len);
    AlignedStringBuilder out(*text);
    // The reference rewrites the first character as prefix + itself: the
    // prefix's first character replaces it and the rest is inserted after it,
    // so everything maps to the first character. With an empty prefix only the
    // insertion before everything is left, which maps to the empty span at
    // the start.
    if (prefix_.empty()) {
      out.AppendInserted(first, 0);
    } else {
      const size_t prefix_first_len =
          utf8::SequenceLength(static_cast<unsigned char>(prefix_[0]));
      out.AppendReplacing(std::string_view(prefix_).substr(0, prefix_first_len), 0);
      out.AppendInserted(std::string_view(prefix_).substr(prefix_first_len), first_len);
      out.AppendInserted(first, first_len);
    }
    out.Copy(first_len, s.size());
    *text = std::move(out).Finish();
  }

  std::string Describe() const override {
    return absl::StrCat("Prepend(\"", absl::Utf8SafeCEscape(prefix_), "\")");
  }

 private:
  std::string prefix_;
};

}  // namespace

std::unique_ptr<Normalizer> MakePrependNormalizer(std::string prefix) {
  return std::make_unique<PrependNormalizer>(std::move(prefix));
}

}  // namespace tokgraft
