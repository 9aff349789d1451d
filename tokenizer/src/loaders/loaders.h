// Turn tokenizer files into tokenizers. Each validates everything it reads.
#ifndef TOKGRAFT_TOKENIZER_LOADERS_LOADERS_H_
#define TOKGRAFT_TOKENIZER_LOADERS_LOADERS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {

// Hugging Face tokenizer.json with a BPE model.
absl::StatusOr<std::unique_ptr<Tokenizer>> LoadHfTokenizerJson(const std::string& path);
// Parses tokenizer.json text already in memory (`name` is used in messages).
absl::StatusOr<std::unique_ptr<Tokenizer>> ParseHfTokenizerJson(std::string_view json,
                                                                 const std::string& name);
// A .tiktoken rank file with a named split pattern (r50k_base, ...).
absl::StatusOr<std::unique_ptr<Tokenizer>> LoadTiktoken(const std::string& path,
                                                        const std::string& pattern_name);
// A sentencepiece .model, run by libsentencepiece.
absl::StatusOr<std::unique_ptr<Tokenizer>> LoadSentencePiece(const std::string& path);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_LOADERS_LOADERS_H_
