#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "byte_level_alphabet.h"
#include "decoders/decoders.h"
#include "utf8.h"

namespace tokgraft {
namespace {

class ByteLevelDecoder : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>* tokens) const override {
    std::string decoded;
    std::string token_bytes;
    for (const std::string& token : *tokens) {
      // Tokens are normally valid UTF-8; one that is not cannot be all
      // alphabet characters either, and MappedToBytes needs valid input.
      bool mapped = utf8::FindInvalid(token) == std::string::npos &&
                    byte_level::MappedToBytes(token, &token_bytes);
      decoded += mapped ? token_bytes : token;
    }
    tokens->assign(1, std::move(decoded));
  }

  std::string Describe() const override { return "ByteLevel"; }
};

}  // namespace

std::unique_ptr<Decoder> MakeByteLevelDecoder() { return std::make_unique<ByteLevelDecoder>(); }

}  // namespace tokgraft
