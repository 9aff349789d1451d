// Fuzzes the tokenizer.json loader: any bytes must give a tokenizer or an
// error, never a crash, a hang or undefined behaviour. A tokenizer that loads
// is also made to encode and decode a little text.
#include <cstddef>
#include <cstdint>

#include "loaders/loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto tok = tokgraft::ParseHfTokenizerJson(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!tok.ok()) return 0;
  tokgraft::EncodeOptions options;
  options.with_offsets = true;
  auto enc = (*tok)->Encode("Hello wörld  12345 <s>\n\t日本", options);
  if (enc.ok()) (void)(*tok)->Decode(enc->ids);
  return 0;
}
