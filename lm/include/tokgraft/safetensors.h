// Reading and writing safetensors files, the weight format of Hugging Face
// checkpoints: an 8-byte little-endian header length, a JSON header naming
// each tensor's dtype, shape and byte range, then the raw data.
//
// Reading maps the file (mmap) and validates the whole header before anything
// is used: offsets inside the file and not overlapping, sizes that match
// dtype x shape. Tensors are views into the mapping; nothing is copied.
#ifndef TOKGRAFT_SAFETENSORS_H_
#define TOKGRAFT_SAFETENSORS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tokgraft {

enum class DType { kF32, kF16, kBF16, kF64, kI64, kI32, kI16, kI8, kU8, kBool };

std::string_view DTypeName(DType dtype);
size_t DTypeSize(DType dtype);

struct TensorView {
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  const uint8_t* data = nullptr;  // little-endian, dtype-packed, row-major
  size_t bytes = 0;
  int64_t elements() const;
};

class SafetensorsFile {
 public:
  // Maps and validates PATH. Errors name the file and the tensor at fault.
  static absl::StatusOr<std::unique_ptr<SafetensorsFile>> Open(const std::string& path);
  // Validates a header and data held in memory (for the fuzzer and tests).
  static absl::StatusOr<std::unique_ptr<SafetensorsFile>> FromBuffer(std::string contents, std::string name);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::string& path() const { return path_; }
  const std::map<std::string, TensorView>& tensors() const { return tensors_; }
  const TensorView* Find(const std::string& name) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  SafetensorsFile() = default;
  absl::Status Parse(const uint8_t* data, size_t size);

  std::string path_;
  void* mapping_ = nullptr;
  size_t mapping_size_ = 0;
  std::string buffer_;  // FromBuffer's contents
  std::map<std::string, TensorView> tensors_;
  std::map<std::string, std::string> metadata_;
};

// A tensor to write: float values stored as `dtype` (F32, F16 or BF16, with
// round-to-nearest-even for the 16-bit types).
struct TensorToWrite {
  std::string name;
  std::vector<int64_t> shape;
  DType dtype = DType::kF32;
  const float* values = nullptr;  // row-major, product(shape) values
};

// Writes PATH.partial and renames it to PATH, so that a failure (a full disk)
// leaves nothing half-written. Tensors are written in name order, with an
// 8-byte aligned header, as the reference implementation does.
absl::Status WriteSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                              const std::map<std::string, std::string>& metadata = {});

// Widens F32/F16/BF16 data to float32.
absl::Status ToFloat32(const TensorView& tensor, float* out);

}  // namespace tokgraft

#endif  // TOKGRAFT_SAFETENSORS_H_
