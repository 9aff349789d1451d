#include "utf8.h"

#include <cstring>

#include "tokgraft/tokenizer.h"

namespace tokgraft {
namespace utf8 {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Index of the first non-ASCII byte of p[i, n), or n.
size_t SkipAscii(const unsigned char* p, size_t i, size_t n) {
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    if (word & kHighBits) break;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

// Measures the sequence starting at p (n > 0 bytes available). Returns its
// length and sets *valid; an invalid sequence's length is that of its maximal
// subpart (at least 1), the unit Unicode and Rust's from_utf8_lossy replace by
// one U+FFFD.
size_t MeasureSequence(const unsigned char* p, size_t n, bool* valid) {
  *valid = false;
  unsigned char lead = p[0];
  if (lead < 0x80) {
    *valid = true;
    return 1;
  }
  // The second byte's range rules out overlongs (E0, F0), surrogates (ED) and
  // code points above U+10FFFF (F4).
  size_t need;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 2;
  } else if (lead == 0xE0) {
    need = 3;
    low = 0xA0;
  } else if (lead == 0xED) {
    need = 3;
    high = 0x9F;
  } else if (lead >= 0xE1 && lead <= 0xEF) {
    need = 3;
  } else if (lead == 0xF0) {
    need = 4;
    low = 0x90;
  } else if (lead == 0xF4) {
    need = 4;
    high = 0x8F;
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    need = 4;
  } else {
    return 1;
  }
  if (n < 2 || p[1] < low || p[1] > high) return 1;
  for (size_t k = 2; k < need; ++k) {
    if (k >= n || !IsContinuation(p[k])) return k;
  }
  *valid = true;
  return need;
}

}  // namespace

size_t FindInvalid(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (true) {
    i = SkipAscii(p, i, n);
    if (i == n) return std::string_view::npos;
    bool valid;
    size_t len = MeasureSequence(p + i, n - i, &valid);
    if (!valid) return i;
    i += len;
  }
}

}  // namespace utf8

std::string ToValidUtf8Lossy(std::string_view bytes) {
  size_t first_invalid = utf8::FindInvalid(bytes);
  if (first_invalid == std::string_view::npos) return std::string(bytes);

  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::string out(bytes.substr(0, first_invalid));
  out.reserve(bytes.size() + 2);
  for (size_t i = first_invalid; i < bytes.size();) {
    size_t ascii_end = utf8::SkipAscii(p, i, bytes.size());
    out.append(bytes.substr(i, ascii_end - i));
    i = ascii_end;
    if (i == bytes.size()) break;
    bool valid;
    size_t len = utf8::MeasureSequence(p + i, bytes.size() - i, &valid);
    if (valid) {
      out.append(bytes.substr(i, len));
    } else {
      out.append(kReplacement);
    }
    i += len;
  }
  return out;
}

}  // namespace tokgraft
