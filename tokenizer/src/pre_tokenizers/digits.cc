// Digits: isolate numeric characters, one by one or in runs.
#include <unicode/uchar.h>

#include "pre_tokenizers/split_parts.h"
#include "utf8.h"

namespace tokgraft {
namespace {

// Rust's char::is_numeric: general categories Nd, Nl and No.
bool IsNumeric(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  const int8_t type = u_charType(static_cast<UChar32>(c));
  return type == U_DECIMAL_DIGIT_NUMBER || type == U_LETTER_NUMBER || type == U_OTHER_NUMBER;
}

class DigitsPreTokenizer : public PreTokenizer {
 public:
  explicit DigitsPreTokenizer(bool individual) : individual_(individual) {}

  void PreTokenize(PreTokenized* pre) const override {
    // Every numeric character is a match of its own; Contiguous then joins runs.
    auto find = [](std::string_view piece, std::vector<ByteSpan>* matches) {
      size_t len = 0;
      for (size_t i = 0; i < piece.size(); i += len) {
        if (IsNumeric(utf8::Decode(piece, i, &len))) {
          matches->push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + len)});
        }
      }
    };
    SplitEachPiece(pre, individual_ ? SplitBehavior::kIsolated : SplitBehavior::kContiguous,
                   false, find);
  }

  std::string Describe() const override {
    return individual_ ? "Digits(individual)" : "Digits";
  }

 private:
  bool individual_;
};

}  // namespace

std::unique_ptr<PreTokenizer> MakeDigitsPreTokenizer(bool individual_digits) {
  return std::make_unique<DigitsPreTokenizer>(individual_digits);
}

}  // namespace tokgraft
