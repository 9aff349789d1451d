#include "spm/model_type.h"

#include <cstdint>
#include <optional>

namespace tokgraft::spm {
namespace {

// Minimal protobuf wire-format walking: enough to find one varint field
// inside one length-delimited field.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  bool done() const { return at_ >= data_.size(); }

  std::optional<uint64_t> Varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64 && at_ < data_.size(); shift += 7) {
      const uint8_t b = static_cast<uint8_t>(data_[at_++]);
      value |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return value;
    }
    return std::nullopt;
  }

  // Reads the next field; *payload is set for length-delimited fields and
  // *varint for varints. False at malformed data.
  bool Field(uint32_t* number, std::string_view* payload, uint64_t* varint) {
    auto key = Varint();
    if (!key) return false;
    *number = static_cast<uint32_t>(*key >> 3);
    switch (*key & 7) {
      case 0: {
        auto v = Varint();
        if (!v) return false;
        *varint = *v;
        return true;
      }
      case 1: return Skip(8);
      case 5: return Skip(4);
      case 2: {
        auto len = Varint();
        if (!len || *len > data_.size() - at_) return false;
        *payload = data_.substr(at_, *len);
        at_ += *len;
        return true;
      }
      default: return false;
    }
  }

 private:
  bool Skip(size_t n) {
    if (n > data_.size() - at_) return false;
    at_ += n;
    return true;
  }
  std::string_view data_;
  size_t at_ = 0;
};

constexpr uint32_t kTrainerSpecField = 2;  // ModelProto.trainer_spec
constexpr uint32_t kModelTypeField = 3;    // TrainerSpec.model_type

}  // namespace

std::string ModelTypeName(std::string_view serialized) {
  WireReader model(serialized);
  uint64_t type = 1;  // the proto default: UNIGRAM
  bool found = false;
  while (!model.done()) {
    uint32_t number;
    std::string_view payload;
    uint64_t varint = 0;
    if (!model.Field(&number, &payload, &varint)) break;
    if (number != kTrainerSpecField) continue;
    found = true;
    WireReader spec(payload);
    while (!spec.done()) {
      if (!spec.Field(&number, &payload, &varint)) break;
      if (number == kModelTypeField) type = varint;
    }
  }
  if (!found) return "unknown";
  switch (type) {
    case 1: return "Unigram";
    case 2: return "BPE";
    case 3: return "Word";
    case 4: return "Char";
  }
  return "unknown";
}

}  // namespace tokgraft::spm
