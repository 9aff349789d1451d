// Character classes of the published split patterns, as one byte of class
// bits per code point, so that a scanner tests a class with one lookup.
//
// Properties come from ICU, the library's one source of Unicode data. ASCII is
// a compile-time table; other code points are looked up in 256-entry blocks
// that are filled from ICU on first use and then shared by all threads.
//
// ICU 72 has Unicode 15.0; HF tokenizers' Oniguruma has 16.0. Code points
// assigned in between are unassigned here, so they count as [^\s\p{L}\p{N}];
// the 5,055 of them that HF sees as letters, marks or numbers (CJK Extension
// I, Egyptian Hieroglyphs Extended-A, new scripts) split differently. Every
// other code point classifies alike (checked against HF, all of Unicode).
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_UNICODE_CLASS_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_UNICODE_CLASS_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace tokgraft::unicode_class {

inline constexpr uint8_t kLetter = 1 << 0;  // \p{L}
inline constexpr uint8_t kNumber = 1 << 1;  // \p{N}
// Oniguruma's \s under Unicode: the White_Space property. (PCRE2's \s differs:
// it adds U+180E, which stopped being a space in Unicode 6.3.)
inline constexpr uint8_t kSpace = 1 << 2;
inline constexpr uint8_t kNewline = 1 << 3;  // \r or \n
// [^\s\p{L}\p{N}]: punctuation, symbols, marks, controls, unassigned...
inline constexpr uint8_t kOther = 1 << 4;
// [^\r\n\p{L}\p{N}]: what may stand before a letter run in cl100k and o200k.
inline constexpr uint8_t kLetterPrefix = 1 << 5;
// o200k's two letter classes: [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] and
// [\p{Ll}\p{Lm}\p{Lo}\p{M}]. They overlap, which is what makes o200k's
// letter alternatives backtrack.
inline constexpr uint8_t kUpperOrUncased = 1 << 6;
inline constexpr uint8_t kLowerOrUncased = 1 << 7;

namespace internal {

inline constexpr size_t kBlockBits = 8;
inline constexpr size_t kBlockCount = 0x110000 >> kBlockBits;

constexpr uint8_t AsciiClass(char32_t c) {
  const bool upper = c >= 'A' && c <= 'Z';
  const bool lower = c >= 'a' && c <= 'z';
  const bool digit = c >= '0' && c <= '9';
  const bool space = (c >= '\t' && c <= '\r') || c == ' ';
  const bool newline = c == '\r' || c == '\n';
  uint8_t cls = 0;
  if (upper || lower) cls |= kLetter;
  if (upper) cls |= kUpperOrUncased;
  if (lower) cls |= kLowerOrUncased;
  if (digit) cls |= kNumber;
  if (space) cls |= kSpace;
  if (newline) cls |= kNewline;
  if (!upper && !lower && !digit && !space) cls |= kOther;
  if (!upper && !lower && !digit && !newline) cls |= kLetterPrefix;
  return cls;
}

constexpr std::array<uint8_t, 128> MakeAsciiTable() {
  std::array<uint8_t, 128> table{};
  for (char32_t c = 0; c < 128; ++c) table[c] = AsciiClass(c);
  return table;
}

inline constexpr std::array<uint8_t, 128> kAsciiTable = MakeAsciiTable();

// Blocks of 256 code points; null until first used.
extern std::atomic<const uint8_t*> g_blocks[kBlockCount];
const uint8_t* LoadBlock(size_t block);

}  // namespace internal

// `c` < 0x80.
inline uint8_t OfAscii(unsigned char c) { return internal::kAsciiTable[c]; }

// `c` must be a Unicode scalar value (at most U+10FFFF).
inline uint8_t Of(char32_t c) {
  if (c < 0x80) return internal::kAsciiTable[c];
  const size_t block = c >> internal::kBlockBits;
  const uint8_t* classes = internal::g_blocks[block].load(std::memory_order_acquire);
  if (classes == nullptr) classes = internal::LoadBlock(block);
  return classes[c & ((1u << internal::kBlockBits) - 1)];
}

}  // namespace tokgraft::unicode_class

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_UNICODE_CLASS_H_
