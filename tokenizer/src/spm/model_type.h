// Reads trainer_spec.model_type from a serialized sentencepiece ModelProto,
// which libsentencepiece's API does not expose (and whose generated protobuf
// header Debian does not ship).
#ifndef TOKGRAFT_TOKENIZER_SPM_MODEL_TYPE_H_
#define TOKGRAFT_TOKENIZER_SPM_MODEL_TYPE_H_

#include <string>
#include <string_view>

namespace tokgraft::spm {

// "Unigram", "BPE", "Word", "Char", or "unknown" when the field is absent.
std::string ModelTypeName(std::string_view serialized_model_proto);

}  // namespace tokgraft::spm

#endif  // TOKGRAFT_TOKENIZER_SPM_MODEL_TYPE_H_
