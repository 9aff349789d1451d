#include <memory>
#include <string>

#include <unicode/uchar.h>

#include "aligned_string.h"
#include "normalizers/normalizers.h"
#include "utf8.h"

namespace tokgraft {
namespace {

// Rust's char::is_whitespace, which the reference uses, is the Unicode
// White_Space property.
bool IsWhitespace(const std::string& s, size_t i, size_t* len) {
  return u_isUWhiteSpace(static_cast<UChar32>(utf8::Decode(s, i, len)));
}

class StripNormalizer : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}

  void Normalize(AlignedString* text) const override {
    const std::string& s = text->text();
    size_t begin = 0;
    size_t end = s.size();
    size_t len;
    if (left_) {
      while (begin < end && IsWhitespace(s, begin, &len)) begin += len;
    }
    if (right_) {
      while (end > begin) {
        size_t last = end - 1;
        while (utf8::IsContinuation(static_cast<unsigned char>(s[last]))) --last;
        if (!IsWhitespace(s, last, &len)) break;
        end = last;
      }
    }
    if (begin == 0 && end == s.size()) return;
    AlignedStringBuilder out(*text);
    out.Copy(begin, end);
    *text = std::move(out).Finish();
  }

  std::string Describe() const override {
    if (left_ && right_) return "Strip(left, right)";
    if (left_) return "Strip(left)";
    return right_ ? "Strip(right)" : "Strip()";
  }

 private:
  bool left_;
  bool right_;
};

}  // namespace

std::unique_ptr<Normalizer> MakeStripNormalizer(bool left, bool right) {
  return std::make_unique<StripNormalizer>(left, right);
}

}  // namespace tokgraft
