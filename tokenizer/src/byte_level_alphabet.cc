#include "byte_level_alphabet.h"

#include <array>

#include "utf8.h"

namespace tokgraft::byte_level {
namespace {

struct Alphabet {
  std::array<char32_t, 256> to_char{};
  // Indexed by code point; every mapped character is below U+0144.
  std::array<int16_t, 0x144> to_byte{};

  Alphabet() {
    to_byte.fill(-1);
    // Printable Latin-1 bytes map to themselves; the rest are shifted past
    // U+00FF in byte order, as GPT-2's bytes_to_unicode does.
    auto printable = [](int b) {
      return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    };
    char32_t next = 0x100;
    for (int b = 0; b < 256; ++b) {
      to_char[b] = printable(b) ? static_cast<char32_t>(b) : next++;
      to_byte[to_char[b]] = static_cast<int16_t>(b);
    }
  }
};

const Alphabet& GetAlphabet() {
  static const Alphabet alphabet;
  return alphabet;
}

}  // namespace

char32_t ByteToChar(uint8_t byte) { return GetAlphabet().to_char[byte]; }

int CharToByte(char32_t c) {
  const Alphabet& a = GetAlphabet();
  return c < a.to_byte.size() ? a.to_byte[c] : -1;
}

std::string BytesToMapped(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) utf8::Append(ByteToChar(b), &out);
  return out;
}

bool MappedToBytes(std::string_view mapped, std::string* bytes) {
  bytes->clear();
  for (size_t i = 0; i < mapped.size();) {
    size_t len;
    int b = CharToByte(utf8::Decode(mapped, i, &len));
    if (b < 0) return false;
    bytes->push_back(static_cast<char>(b));
    i += len;
  }
  return true;
}

}  // namespace tokgraft::byte_level
