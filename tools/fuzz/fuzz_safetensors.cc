// Fuzzes the safetensors header parser: any bytes must give a file or an
// error, never a crash. Tensors of a file that parses are widened to float32,
// which reads every byte their offsets claim.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tokgraft/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = tokgraft::SafetensorsFile::FromBuffer(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!file.ok()) return 0;
  for (const auto& [name, view] : (*file)->tensors()) {
    std::vector<float> values(static_cast<size_t>(view.elements()));
    (void)tokgraft::ToFloat32(view, values.data());
  }
  return 0;
}
