#include "pre_tokenizers/regex_scanners.h"

#include <cstddef>
#include <cstdint>

#include "pre_tokenizers/published_patterns.h"
#include "pre_tokenizers/unicode_class.h"
#include "utf8.h"

namespace tokgraft {
namespace {

using unicode_class::kLetter;
using unicode_class::kLetterPrefix;
using unicode_class::kLowerOrUncased;
using unicode_class::kNewline;
using unicode_class::kNumber;
using unicode_class::kOther;
using unicode_class::kSpace;
using unicode_class::kUpperOrUncased;

constexpr size_t kNoMatch = static_cast<size_t>(-1);

// Class bits and byte length of one character.
struct Char {
  uint8_t cls;
  uint8_t len;
};

// The text under scan, read a character at a time. ASCII never reaches the
// UTF-8 decoder or the block table.
class Text {
 public:
  explicit Text(std::string_view text) : text_(text) {}

  size_t size() const { return text_.size(); }
  unsigned char byte(size_t i) const { return static_cast<unsigned char>(text_[i]); }

  // `i` < size().
  Char At(size_t i) const {
    const unsigned char b = byte(i);
    if (b < 0x80) return {unicode_class::OfAscii(b), 1};
    size_t len;
    const char32_t c = utf8::Decode(text_, i, &len);
    return {unicode_class::Of(c), static_cast<uint8_t>(len)};
  }

  // Class of the character at `i`; no bits at the end of the text.
  uint8_t ClassAt(size_t i) const { return i < size() ? At(i).cls : 0; }

  // End of the run of characters from `i` that have a bit of `mask`.
  size_t RunEnd(size_t i, uint8_t mask) const {
    while (i < size()) {
      const Char c = At(i);
      if (!(c.cls & mask)) break;
      i += c.len;
    }
    return i;
  }

 private:
  std::string_view text_;
};

// (?i:'s|'t|'re|'ve|'m|'ll|'d) or its case-sensitive form at `i`: the end of
// the contraction, or `i` when there is none.
template <bool kIgnoreCase>
size_t ContractionEnd(const Text& text, size_t i) {
  if (i + 1 >= text.size() || text.byte(i) != '\'') return i;
  // The ASCII letter at `j`, lowered when ignoring case (`| 0x20` turns
  // nothing but A-Z into a-z); 0 past the end.
  auto letter = [&](size_t j) -> unsigned char {
    if (j >= text.size()) return 0;
    return kIgnoreCase ? text.byte(j) | 0x20 : text.byte(j);
  };
  switch (letter(i + 1)) {
    case 's':
    case 't':
    case 'm':
    case 'd':
      return i + 2;
    case 'r':
    case 'v':
      return letter(i + 2) == 'e' ? i + 3 : i;
    case 'l':
      return letter(i + 2) == 'l' ? i + 3 : i;
  }
  // Unicode simple case folding maps U+017F LATIN SMALL LETTER LONG S to 's';
  // no other non-ASCII character folds to one of these letters (the Kelvin
  // sign folds to 'k', which no contraction has). Multi-character folds such
  // as U+00DF -> "ss" cannot match a single pattern letter.
  if (kIgnoreCase && i + 2 < text.size() && text.byte(i + 1) == 0xC5 && text.byte(i + 2) == 0xBF) {
    return i + 3;
  }
  return i;
}

// \p{N}{1,max_count} at `i`, which holds a number.
size_t NumberEnd(const Text& text, size_t i, int max_count) {
  for (int count = 0; count < max_count && i < text.size(); ++count) {
    const Char c = text.At(i);
    if (!(c.cls & kNumber)) break;
    i += c.len;
  }
  return i;
}

// [\r\n]* (or [\r\n/]* with kWithSlash) at `i`.
template <bool kWithSlash>
size_t NewlineTailEnd(const Text& text, size_t i) {
  while (i < text.size()) {
    const unsigned char b = text.byte(i);
    if (b != '\r' && b != '\n' && !(kWithSlash && b == '/')) break;
    ++i;
  }
  return i;
}

// The whitespace alternatives at `p`, which holds whitespace:
// `\s*[\r\n]+|\s+(?!\S)|\s+` with kNewlineAlternative, else `\s+(?!\S)|\s+`.
template <bool kNewlineAlternative>
size_t WhitespaceEnd(const Text& text, size_t p) {
  size_t end = p;
  size_t last_char = p;
  size_t after_last_newline = kNoMatch;
  while (end < text.size()) {
    const Char c = text.At(end);
    if (!(c.cls & kSpace)) break;
    last_char = end;
    end += c.len;
    if (kNewlineAlternative && (c.cls & kNewline)) after_last_newline = end;
  }
  // \s* takes the whole run, then backtracks until [\r\n]+ can match: that
  // match ends right after the run's last newline.
  if (kNewlineAlternative && after_last_newline != kNoMatch) return after_last_newline;
  // \s+(?!\S) gives back the last character when a non-space follows, unless
  // that empties it; then \s+ takes the whole run.
  if (end < text.size() && last_char > p) return last_char;
  return end;
}

// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
size_t Gpt2MatchEnd(const Text& text, size_t p) {
  if (text.byte(p) == '\'') {
    const size_t end = ContractionEnd<false>(text, p);
    if (end != p) return end;
  }
  size_t run_start = p;
  uint8_t cls = text.At(p).cls;
  if (text.byte(p) == ' ') {
    const uint8_t next = text.ClassAt(p + 1);
    if (next & (kLetter | kNumber | kOther)) {
      run_start = p + 1;
      cls = next;
    }
  }
  if (cls & kLetter) return text.RunEnd(run_start, kLetter);
  if (cls & kNumber) return text.RunEnd(run_start, kNumber);
  if (cls & kOther) return text.RunEnd(run_start, kOther);
  return WhitespaceEnd<false>(text, p);
}

// (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,kMaxDigits}|
//  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
template <int kMaxDigits>
size_t Cl100kMatchEnd(const Text& text, size_t p) {
  if (text.byte(p) == '\'') {
    const size_t end = ContractionEnd<true>(text, p);
    if (end != p) return end;
  }
  const Char c = text.At(p);
  if (c.cls & kLetter) return text.RunEnd(p, kLetter);
  if ((c.cls & kLetterPrefix) && (text.ClassAt(p + c.len) & kLetter)) {
    return text.RunEnd(p + c.len, kLetter);
  }
  if (c.cls & kNumber) return NumberEnd(text, p, kMaxDigits);
  if (text.byte(p) == ' ' && (text.ClassAt(p + 1) & kOther)) {
    return NewlineTailEnd<false>(text, text.RunEnd(p + 1, kOther));
  }
  if (c.cls & kOther) return NewlineTailEnd<false>(text, text.RunEnd(p, kOther));
  return WhitespaceEnd<true>(text, p);
}

// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+ at `i`, or kNoMatch.
// The star first takes its whole run; when the plus cannot follow, the star
// gives back characters until the last one it gave back is in the second
// class too (Lm, Lo, M), and the plus matches just that one.
size_t UpperStarLowerPlusEnd(const Text& text, size_t i) {
  size_t after_last_shared = kNoMatch;
  while (i < text.size()) {
    const Char c = text.At(i);
    if (!(c.cls & kUpperOrUncased)) break;
    i += c.len;
    if (c.cls & kLowerOrUncased) after_last_shared = i;
  }
  if (text.ClassAt(i) & kLowerOrUncased) return text.RunEnd(i, kLowerOrUncased);
  return after_last_shared;
}

// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]* at `i`, or kNoMatch.
size_t UpperPlusLowerStarEnd(const Text& text, size_t i) {
  const size_t upper_end = text.RunEnd(i, kUpperOrUncased);
  if (upper_end == i) return kNoMatch;
  return text.RunEnd(upper_end, kLowerOrUncased);
}

// X?A*B+C?|X?A+B*C?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
// with X = [^\r\n\p{L}\p{N}], A = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}],
// B = [\p{Ll}\p{Lm}\p{Lo}\p{M}], C = (?i:'s|'t|'re|'ve|'m|'ll|'d).
size_t O200kMatchEnd(const Text& text, size_t p) {
  const Char c = text.At(p);
  // Each letter alternative tries X? first with a character, then without;
  // "without" can only succeed where X took a mark, which A and B also hold.
  const bool has_prefix = c.cls & kLetterPrefix;
  size_t end = kNoMatch;
  if (has_prefix) end = UpperStarLowerPlusEnd(text, p + c.len);
  if (end == kNoMatch) end = UpperStarLowerPlusEnd(text, p);
  if (end == kNoMatch && has_prefix) end = UpperPlusLowerStarEnd(text, p + c.len);
  if (end == kNoMatch) end = UpperPlusLowerStarEnd(text, p);
  if (end != kNoMatch) return ContractionEnd<true>(text, end);

  if (c.cls & kNumber) return NumberEnd(text, p, 3);
  if (text.byte(p) == ' ' && (text.ClassAt(p + 1) & kOther)) {
    return NewlineTailEnd<true>(text, text.RunEnd(p + 1, kOther));
  }
  if (c.cls & kOther) return NewlineTailEnd<true>(text, text.RunEnd(p, kOther));
  return WhitespaceEnd<true>(text, p);
}

// Every character is a letter, a number, whitespace or "other", and each
// pattern has an alternative that matches at any of them, so the matches
// tile the text: each one starts where the previous ended.
template <size_t (*kMatchEnd)(const Text&, size_t)>
class PatternScanner final : public SplitRegex {
 public:
  explicit PatternScanner(std::string_view name) : name_(name) {}

  void FindMatches(std::string_view text, std::vector<ByteSpan>* matches) const override {
    const Text scanned(text);
    for (size_t begin = 0; begin < scanned.size();) {
      const size_t end = kMatchEnd(scanned, begin);
      matches->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
      begin = end;
    }
  }

  std::string_view engine() const override { return name_; }

 private:
  std::string_view name_;
};

}  // namespace

std::unique_ptr<SplitRegex> MakePublishedPatternScanner(std::string_view pattern) {
  if (pattern == patterns::kGpt2) return std::make_unique<PatternScanner<Gpt2MatchEnd>>("gpt2");
  if (pattern == patterns::kCl100k) {
    return std::make_unique<PatternScanner<Cl100kMatchEnd<3>>>("cl100k");
  }
  if (pattern == patterns::kQwen2) return std::make_unique<PatternScanner<Cl100kMatchEnd<1>>>("qwen2");
  if (pattern == patterns::kO200k) return std::make_unique<PatternScanner<O200kMatchEnd>>("o200k");
  return nullptr;
}

}  // namespace tokgraft
