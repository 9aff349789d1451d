#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "decoders/decoders.h"
#include "utf8.h"

namespace tokgraft {
namespace {

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The byte of a "<0xNN>" token. NN is parsed as Rust's u8::from_str_radix(NN,
// 16) does, so "+F" (an explicit sign and one digit) counts too.
std::optional<uint8_t> ParseByteToken(std::string_view token) {
  if (token.size() != 6 || token.substr(0, 3) != "<0x" || token[5] != '>') return std::nullopt;
  int high = token[3] == '+' ? 0 : HexDigitValue(token[3]);
  int low = HexDigitValue(token[4]);
  if (high < 0 || low < 0) return std::nullopt;
  return static_cast<uint8_t>(high * 16 + low);
}

class ByteFallbackDecoder : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>* tokens) const override {
    std::vector<std::string> decoded;
    decoded.reserve(tokens->size());
    std::string byte_run;
    auto flush_byte_run = [&] {
      if (byte_run.empty()) return;
      if (utf8::FindInvalid(byte_run) == std::string::npos) {
        decoded.push_back(std::move(byte_run));
      } else {
        decoded.insert(decoded.end(), byte_run.size(), "\xEF\xBF\xBD");  // U+FFFD
      }
      byte_run.clear();
    };
    for (std::string& token : *tokens) {
      if (std::optional<uint8_t> byte = ParseByteToken(token)) {
        byte_run.push_back(static_cast<char>(*byte));
        continue;
      }
      flush_byte_run();
      decoded.push_back(std::move(token));
    }
    flush_byte_run();
    *tokens = std::move(decoded);
  }

  std::string Describe() const override { return "ByteFallback"; }
};

}  // namespace

std::unique_ptr<Decoder> MakeByteFallbackDecoder() {
  return std::make_unique<ByteFallbackDecoder>();
}

}  // namespace tokgraft
