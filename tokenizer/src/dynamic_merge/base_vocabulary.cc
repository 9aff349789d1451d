#include "dynamic_merge/base_vocabulary.h"

#include "absl/strings/str_format.h"

namespace tokgraft {

BaseVocabulary::BaseVocabulary(const Tokenizer& tokenizer) : tokenizer_(tokenizer) {
  const TokenizerInfo info = tokenizer.Info();
  size_ = static_cast<uint32_t>(info.vocab_size);
  special_.assign(info.vocab_size, false);
  for (const SpecialTokenInfo& t : info.added_tokens) {
    if (t.special && t.id < special_.size()) special_[t.id] = true;
  }
}

absl::StatusOr<const std::string*> BaseVocabulary::Bytes(uint32_t id) {
  auto it = bytes_.find(id);
  if (it != bytes_.end()) return it->second.get();
  std::optional<std::string> bytes = tokenizer_.IdToBytes(id);
  if (!bytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("id %d is not in the vocabulary (ids run from 0 to %d)", id, size_ - 1));
  }
  return bytes_.emplace(id, std::make_unique<std::string>(*std::move(bytes))).first->second.get();
}

}  // namespace tokgraft
