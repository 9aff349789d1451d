#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <unicode/uchar.h>

#include "aligned_string.h"
#include "normalizers/normalizers.h"
#include "utf8.h"

namespace tokgraft {
namespace {

constexpr char32_t kCapitalIWithDotAbove = 0x130;

// Uppercase letters whose lowercase mapping came after Unicode 15.0, the
// version of ICU 72, but which the reference's Rust standard library (Unicode
// 17.0) lowercases: c in [first, last] maps to lower_of_first + (c - first).
struct NewerCaseMapping {
  char32_t first;
  char32_t last;
  char32_t lower_of_first;
};
constexpr NewerCaseMapping kNewerCaseMappings[] = {
    {0x1C89, 0x1C89, 0x1C8A},     // Cyrillic (16.0)
    {0xA7CB, 0xA7CB, 0x0264},     // Latin (16.0)
    {0xA7CC, 0xA7CC, 0xA7CD},     // Latin (16.0)
    {0xA7CE, 0xA7CE, 0xA7CF},     // Latin (17.0)
    {0xA7D2, 0xA7D2, 0xA7D3},     // Latin (17.0)
    {0xA7D4, 0xA7D4, 0xA7D5},     // Latin (17.0)
    {0xA7DA, 0xA7DA, 0xA7DB},     // Latin (16.0)
    {0xA7DC, 0xA7DC, 0x019B},     // Latin (16.0)
    {0x10D50, 0x10D65, 0x10D70},  // Garay (16.0)
    {0x16EA0, 0x16EB8, 0x16EBB},  // Beria Erfe (17.0)
};

// Rust's char::to_lowercase, which the reference applies character by
// character: the full mapping without context (so no final-sigma rule). Full
// and simple lowercase differ only for U+0130 (the rest of SpecialCasing.txt
// is conditional or concerns upper and title case), so ICU's simple mapping
// does for the others.
void AppendLowercase(char32_t c, std::string* out) {
  if (c == kCapitalIWithDotAbove) {
    out->append("i\xCC\x87");  // i + U+0307 COMBINING DOT ABOVE
    return;
  }
  if (c >= kNewerCaseMappings[0].first) {
    for (const NewerCaseMapping& m : kNewerCaseMappings) {
      if (c >= m.first && c <= m.last) {
        utf8::Append(m.lower_of_first + (c - m.first), out);
        return;
      }
    }
  }
  utf8::Append(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))), out);
}

class LowercaseNormalizer : public Normalizer {
 public:
  void Normalize(AlignedString* text) const override {
    const std::string& s = text->text();
    std::optional<AlignedStringBuilder> out;  // created at the first change
    std::string lower;
    size_t copied = 0;
    for (size_t i = 0; i < s.size();) {
      const size_t len = utf8::SequenceLength(static_cast<unsigned char>(s[i]));
      if (Lowers(s, i, &lower)) {
        if (!out) out.emplace(*text);
        out->Copy(copied, i);
        // Every character of the mapping maps to the source character.
        out->AppendReplacing(lower, i);
        copied = i + len;
      }
      i += len;
    }
    if (!out) return;
    out->Copy(copied, s.size());
    *text = std::move(*out).Finish();
  }

  std::string Describe() const override { return "Lowercase"; }

 private:
  // Whether lowercasing changes the character at s[i]; if so, *lower holds
  // the result.
  static bool Lowers(const std::string& s, size_t i, std::string* lower) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b < 'A' || b > 'Z') return false;
      lower->assign(1, static_cast<char>(b - 'A' + 'a'));
      return true;
    }
    size_t len;
    char32_t c = utf8::Decode(s, i, &len);
    lower->clear();
    AppendLowercase(c, lower);
    return std::string_view(*lower) != std::string_view(s).substr(i, len);
  }
};

}  // namespace

std::unique_ptr<Normalizer> MakeLowercaseNormalizer() {
  return std::make_unique<LowercaseNormalizer>();
}

}  // namespace tokgraft
