// GPT-2's reversible map between the 256 byte values and printable Unicode
// characters, used by byte-level BPE vocabularies ("Ġ" is the space byte).
#ifndef TOKGRAFT_TOKENIZER_BYTE_LEVEL_ALPHABET_H_
#define TOKGRAFT_TOKENIZER_BYTE_LEVEL_ALPHABET_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace tokgraft::byte_level {

char32_t ByteToChar(uint8_t byte);
// The byte a character stands for, or -1 when it is not one of the 256.
int CharToByte(char32_t c);
// Maps every byte to its character (UTF-8 encoded).
std::string BytesToMapped(std::string_view bytes);
// Inverse of BytesToMapped. False, leaving *bytes unspecified, when `mapped`
// holds a character outside the alphabet.
bool MappedToBytes(std::string_view mapped, std::string* bytes);

}  // namespace tokgraft::byte_level

#endif  // TOKGRAFT_TOKENIZER_BYTE_LEVEL_ALPHABET_H_
