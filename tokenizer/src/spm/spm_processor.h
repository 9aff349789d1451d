// A narrow, std-only wrapper around libsentencepiece. It lives in its own
// translation unit because sentencepiece's header defines absl::string_view as
// std::string_view, which collides with Abseil's own in any file that uses both.
#ifndef TOKGRAFT_TOKENIZER_SPM_SPM_PROCESSOR_H_
#define TOKGRAFT_TOKENIZER_SPM_SPM_PROCESSOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tokgraft::spm {

struct Piece {
  int id;
  uint32_t begin;  // byte offsets into the encoded text
  uint32_t end;
};

class Processor {
 public:
  // Null with *error set when the file cannot be read or is not a model.
  static std::unique_ptr<Processor> Load(const std::string& path, std::string* error);
  ~Processor();

  // False with *error set on failure.
  bool Encode(std::string_view text, std::vector<Piece>* pieces, std::string* error) const;
  bool Decode(const std::vector<int>& ids, std::string* text, std::string* error) const;

  int size() const;
  const std::string& piece(int id) const;
  int PieceToId(std::string_view piece) const;  // unk id when absent
  bool IsControl(int id) const;
  bool IsUnknown(int id) const;
  bool IsByte(int id) const;
  int bos_id() const;
  int eos_id() const;
  // The model's serialized ModelProto, for facts the API does not expose.
  std::string SerializedModel() const;

 private:
  struct Impl;
  explicit Processor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tokgraft::spm

#endif  // TOKGRAFT_TOKENIZER_SPM_SPM_PROCESSOR_H_
