// Builds the pipeline stages described by a tokenizer.json. Unknown types
// and malformed settings are errors naming the JSON path; nothing is ignored.
#ifndef TOKGRAFT_TOKENIZER_LOADERS_HF_JSON_COMPONENTS_H_
#define TOKGRAFT_TOKENIZER_LOADERS_HF_JSON_COMPONENTS_H_

#include <memory>

#include "decoder.h"
#include "loaders/json_fields.h"
#include "normalizer.h"
#include "post_processor.h"
#include "pre_tokenizer.h"

namespace tokgraft {

absl::StatusOr<std::unique_ptr<Normalizer>> NormalizerFromJson(json::element e, std::string_view path);
absl::StatusOr<std::unique_ptr<PreTokenizer>> PreTokenizerFromJson(json::element e, std::string_view path);
absl::StatusOr<std::unique_ptr<Decoder>> DecoderFromJson(json::element e, std::string_view path);
absl::StatusOr<std::unique_ptr<PostProcessor>> PostProcessorFromJson(json::element e, std::string_view path);

// One entry of model.merges (the i-th): "left right" (exactly one space) or
// ["left", "right"].
absl::Status MergePairFromJson(json::element item, size_t i, std::string_view* left, std::string_view* right);

// Whether the pre-tokenizer maps bytes to GPT-2 characters, which makes the
// model byte-level. Fails if ByteLevel is followed by another pre-tokenizer,
// which would see mapped characters (not supported).
absl::StatusOr<bool> PreTokenizerIsByteLevel(json::element e, std::string_view path);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_LOADERS_HF_JSON_COMPONENTS_H_
