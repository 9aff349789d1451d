// What dynamic merging needs to know of a tokenizer's own ids: their bytes
// (looked up once each) and which are special tokens.
#ifndef TOKGRAFT_TOKENIZER_DYNAMIC_MERGE_BASE_VOCABULARY_H_
#define TOKGRAFT_TOKENIZER_DYNAMIC_MERGE_BASE_VOCABULARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {

class BaseVocabulary {
 public:
  explicit BaseVocabulary(const Tokenizer& tokenizer);

  uint32_t size() const { return size_; }
  bool IsSpecial(uint32_t id) const { return id < special_.size() && special_[id]; }
  // Fails for ids the tokenizer does not know. The pointer stays valid.
  absl::StatusOr<const std::string*> Bytes(uint32_t id);

 private:
  const Tokenizer& tokenizer_;
  uint32_t size_;
  std::vector<bool> special_;
  absl::flat_hash_map<uint32_t, std::unique_ptr<std::string>> bytes_;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_DYNAMIC_MERGE_BASE_VOCABULARY_H_
