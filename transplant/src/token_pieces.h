// How the base spells a token it lacks (FVT's pieces), and how it spelled a
// token it has before that token's merge (for leave-one-out measurements).
#ifndef TOKGRAFT_TRANSPLANT_TOKEN_PIECES_H_
#define TOKGRAFT_TRANSPLANT_TOKEN_PIECES_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model_folder.h"

namespace tokgraft::transplant {

// The base's encoding of `bytes` (special-token text matched as plain text).
// Bytes that are not valid UTF-8 are spelled one byte at a time with the
// base's single-byte tokens. Empty if the base cannot spell them.
std::vector<uint32_t> BasePieces(const ModelFolder& base, const std::map<std::string, uint32_t>& base_by_bytes,
                                 const std::string& bytes);

// For each base token made by a merge of its tokenizer.json: the two tokens
// merged. Empty if the base has no merge list.
std::map<uint32_t, std::pair<uint32_t, uint32_t>> MergeParents(const ModelFolder& base);

}  // namespace tokgraft::transplant

#endif  // TOKGRAFT_TRANSPLANT_TOKEN_PIECES_H_
