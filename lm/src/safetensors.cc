#include "tokgraft/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "simdjson.h"
#include "tokgraft/atomic_file.h"
#include "tokgraft/json_string.h"

namespace tokgraft {
namespace {

constexpr uint64_t kMaxHeaderBytes = 100 << 20;  // the reference's own limit

struct DTypeInfo {
  const char* name;
  DType dtype;
  size_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {"F32", DType::kF32, 4}, {"F16", DType::kF16, 2}, {"BF16", DType::kBF16, 2}, {"F64", DType::kF64, 8},
    {"I64", DType::kI64, 8}, {"I32", DType::kI32, 4}, {"I16", DType::kI16, 2},   {"I8", DType::kI8, 1},
    {"U8", DType::kU8, 1},   {"BOOL", DType::kBool, 1},
};

float HalfToFloat(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
  float value;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    value = mantissa ? NAN : INFINITY;
  } else {
    value = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
  }
  return sign ? -value : value;
}

uint16_t FloatToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if (std::isnan(f)) return 0x7FC0;
  u += 0x7FFF + ((u >> 16) & 1);  // round to nearest even
  return static_cast<uint16_t>(u >> 16);
}

uint16_t FloatToHalf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000);
  if (std::isnan(f)) return sign | 0x7E00;
  const float a = std::fabs(f);
  if (a >= 65520.0f) return sign | 0x7C00;  // rounds to infinity
  if (a < 6.103515625e-05f) {               // subnormal: multiples of 2^-24
    return sign | static_cast<uint16_t>(std::nearbyint(a * 16777216.0f));
  }
  int exponent;
  const float m = std::frexp(a, &exponent);  // a = m * 2^exponent, m in [0.5, 1)
  uint32_t mantissa = static_cast<uint32_t>(std::nearbyint((m * 2 - 1) * 1024));
  int biased = exponent - 1 + 15;
  if (mantissa == 1024) {
    mantissa = 0;
    ++biased;
  }
  return sign | static_cast<uint16_t>(biased << 10) | static_cast<uint16_t>(mantissa);
}

}  // namespace

std::string_view DTypeName(DType dtype) {
  for (const DTypeInfo& d : kDTypes) {
    if (d.dtype == dtype) return d.name;
  }
  return "?";
}

size_t DTypeSize(DType dtype) {
  for (const DTypeInfo& d : kDTypes) {
    if (d.dtype == dtype) return d.size;
  }
  return 0;
}

int64_t TensorView::elements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

SafetensorsFile::~SafetensorsFile() {
  if (mapping_ != nullptr) munmap(mapping_, mapping_size_);
}

absl::StatusOr<std::unique_ptr<SafetensorsFile>> SafetensorsFile::Open(const std::string& path) {
  std::unique_ptr<SafetensorsFile> file(new SafetensorsFile());
  file->path_ = path;
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return absl::NotFoundError(absl::StrFormat("cannot read %s: %s", path, std::strerror(errno)));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return absl::NotFoundError(absl::StrFormat("cannot read %s: %s", path, std::strerror(errno)));
  }
  file->mapping_size_ = static_cast<size_t>(st.st_size);
  if (file->mapping_size_ > 0) {
    file->mapping_ = mmap(nullptr, file->mapping_size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (file->mapping_ == MAP_FAILED) {
      file->mapping_ = nullptr;
      close(fd);
      return absl::InvalidArgumentError(absl::StrFormat("cannot map %s: %s", path, std::strerror(errno)));
    }
  }
  close(fd);
  absl::Status parsed = file->Parse(static_cast<const uint8_t*>(file->mapping_), file->mapping_size_);
  if (!parsed.ok()) return absl::InvalidArgumentError(absl::StrFormat("%s: %s", path, parsed.message()));
  return file;
}

absl::StatusOr<std::unique_ptr<SafetensorsFile>> SafetensorsFile::FromBuffer(std::string contents,
                                                                              std::string name) {
  std::unique_ptr<SafetensorsFile> file(new SafetensorsFile());
  file->path_ = std::move(name);
  file->buffer_ = std::move(contents);
  absl::Status parsed =
      file->Parse(reinterpret_cast<const uint8_t*>(file->buffer_.data()), file->buffer_.size());
  if (!parsed.ok()) return absl::InvalidArgumentError(absl::StrFormat("%s: %s", file->path_, parsed.message()));
  return file;
}

absl::Status SafetensorsFile::Parse(const uint8_t* data, size_t size) {
  if (size < 8) return absl::InvalidArgumentError(absl::StrFormat("truncated: %d bytes, no header length", size));
  uint64_t header_bytes = 0;
  for (int i = 7; i >= 0; --i) header_bytes = (header_bytes << 8) | data[i];
  if (header_bytes > kMaxHeaderBytes || header_bytes > size - 8) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "header length %d runs past the end of the file (%d bytes): truncated or not safetensors", header_bytes,
        size));
  }
  const uint8_t* base = data + 8 + header_bytes;
  const size_t data_bytes = size - 8 - header_bytes;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::padded_string header(reinterpret_cast<const char*>(data + 8), header_bytes);
  if (auto error = parser.parse(header).get(root); error != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(absl::StrCat("header is not JSON: ", simdjson::error_message(error)));
  }
  simdjson::dom::object entries;
  if (root.get_object().get(entries) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("header is not a JSON object");
  }
  std::vector<std::pair<std::pair<uint64_t, uint64_t>, std::string>> ranges;
  for (auto [key, value] : entries) {
    const std::string name(key);
    if (name == "__metadata__") {
      simdjson::dom::object meta;
      if (value.get_object().get(meta) != simdjson::SUCCESS) {
        return absl::InvalidArgumentError("__metadata__ is not an object");
      }
      for (auto [mk, mv] : meta) {
        std::string_view text;
        if (mv.get_string().get(text) != simdjson::SUCCESS) {
          return absl::InvalidArgumentError(absl::StrFormat("__metadata__.%s is not a string", std::string(mk)));
        }
        metadata_[std::string(mk)] = std::string(text);
      }
      continue;
    }
    auto bad = [&](std::string_view what) {
      return absl::InvalidArgumentError(absl::StrFormat("tensor %s: %s", name, what));
    };
    std::string_view dtype_name;
    simdjson::dom::array shape, offsets;
    if (value.type() != simdjson::dom::element_type::OBJECT) return bad("not an object");
    if (value["dtype"].get_string().get(dtype_name) != simdjson::SUCCESS) return bad("missing dtype");
    if (value["shape"].get_array().get(shape) != simdjson::SUCCESS) return bad("missing shape");
    if (value["data_offsets"].get_array().get(offsets) != simdjson::SUCCESS || offsets.size() != 2) {
      return bad("missing data_offsets [begin, end]");
    }
    TensorView view;
    const DTypeInfo* info = nullptr;
    for (const DTypeInfo& d : kDTypes) {
      if (dtype_name == d.name) info = &d;
    }
    if (info == nullptr) return bad(absl::StrFormat("unknown dtype %s", std::string(dtype_name)));
    view.dtype = info->dtype;
    uint64_t elements = 1;
    for (simdjson::dom::element dim : shape) {
      uint64_t d;
      if (dim.get_uint64().get(d) != simdjson::SUCCESS) return bad("shape holds something other than sizes");
      if (d != 0 && elements > (uint64_t{1} << 62) / d) return bad("shape is too large");
      elements *= d;
      view.shape.push_back(static_cast<int64_t>(d));
    }
    uint64_t begin, end;
    if (offsets.at(0).get_uint64().get(begin) != simdjson::SUCCESS ||
        offsets.at(1).get_uint64().get(end) != simdjson::SUCCESS || end < begin) {
      return bad("data_offsets are not [begin, end] with begin <= end");
    }
    if (end > data_bytes) {
      return bad(absl::StrFormat("data [%d, %d) runs past the end of the data (%d bytes): truncated file?", begin,
                                 end, data_bytes));
    }
    if (end - begin != elements * info->size) {
      return bad(absl::StrFormat("holds %d bytes but %s x %d elements need %d", end - begin, info->name, elements,
                                 elements * info->size));
    }
    view.data = base + begin;
    view.bytes = end - begin;
    ranges.push_back({{begin, end}, name});
    tensors_[name] = view;
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first.first < ranges[i - 1].first.second) {
      return absl::InvalidArgumentError(absl::StrFormat("tensors %s and %s overlap", ranges[i - 1].second,
                                                        ranges[i].second));
    }
  }
  return absl::OkStatus();
}

const TensorView* SafetensorsFile::Find(const std::string& name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

absl::Status ToFloat32(const TensorView& tensor, float* out) {
  const int64_t n = tensor.elements();
  switch (tensor.dtype) {
    case DType::kF32:
      std::memcpy(out, tensor.data, n * 4);
      return absl::OkStatus();
    case DType::kBF16:
      for (int64_t i = 0; i < n; ++i) {
        const uint32_t bits = (uint32_t{tensor.data[2 * i + 1]} << 24) | (uint32_t{tensor.data[2 * i]} << 16);
        std::memcpy(out + i, &bits, 4);
      }
      return absl::OkStatus();
    case DType::kF16:
      for (int64_t i = 0; i < n; ++i) {
        out[i] = HalfToFloat(static_cast<uint16_t>(tensor.data[2 * i] | (tensor.data[2 * i + 1] << 8)));
      }
      return absl::OkStatus();
    default:
      return absl::InvalidArgumentError(
          absl::StrFormat("dtype %s is not supported for weights (F32, F16, BF16)", DTypeName(tensor.dtype)));
  }
}

absl::Status WriteSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                              const std::map<std::string, std::string>& metadata) {
  std::vector<const TensorToWrite*> sorted;
  for (const TensorToWrite& t : tensors) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
  std::string header = "{";
  uint64_t offset = 0;
  for (const TensorToWrite* t : sorted) {
    if (t->dtype != DType::kF32 && t->dtype != DType::kF16 && t->dtype != DType::kBF16) {
      return absl::InvalidArgumentError(absl::StrFormat("tensor %s: cannot write dtype %s", t->name,
                                                        DTypeName(t->dtype)));
    }
    int64_t elements = 1;
    for (int64_t d : t->shape) elements *= d;
    const uint64_t bytes = static_cast<uint64_t>(elements) * DTypeSize(t->dtype);
    if (header.size() > 1) header += ",";
    AppendJsonString(t->name, &header);
    absl::StrAppend(&header, ":{\"dtype\":\"", std::string(DTypeName(t->dtype)), "\",\"shape\":[");
    for (size_t i = 0; i < t->shape.size(); ++i) absl::StrAppend(&header, i ? "," : "", t->shape[i]);
    absl::StrAppend(&header, "],\"data_offsets\":[", offset, ",", offset + bytes, "]}");
    offset += bytes;
  }
  if (!metadata.empty()) {
    header += header.size() > 1 ? ",\"__metadata__\":{" : "\"__metadata__\":{";
    bool first = true;
    for (const auto& [k, v] : metadata) {
      if (!first) header += ",";
      first = false;
      AppendJsonString(k, &header);
      header += ":";
      AppendJsonString(v, &header);
    }
    header += "}";
  }
  header += "}";
  header.append((8 - header.size() % 8) % 8, ' ');

  absl::StatusOr<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(path);
  if (!file.ok()) return file.status();
  std::string length(8, '\0');
  for (int i = 0; i < 8; ++i) length[i] = static_cast<char>(static_cast<uint64_t>(header.size()) >> (8 * i));
  (*file)->Write(length);
  (*file)->Write(header);
  std::string buffer;
  for (const TensorToWrite* t : sorted) {
    int64_t elements = 1;
    for (int64_t d : t->shape) elements *= d;
    buffer.resize(static_cast<size_t>(elements) * DTypeSize(t->dtype));
    for (int64_t i = 0; i < elements; ++i) {
      if (t->dtype == DType::kF32) {
        std::memcpy(&buffer[4 * i], &t->values[i], 4);
      } else {
        const uint16_t h = t->dtype == DType::kBF16 ? FloatToBf16(t->values[i]) : FloatToHalf(t->values[i]);
        buffer[2 * i] = static_cast<char>(h);
        buffer[2 * i + 1] = static_cast<char>(h >> 8);
      }
    }
    (*file)->Write(buffer);
  }
  return (*file)->Commit();
}

}  // namespace tokgraft
