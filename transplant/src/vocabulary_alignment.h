// Which donor tokens the base already has. Ordinary tokens are compared by
// canonical bytes: the bytes the token stands for in normalized text, so
// that GPT-2 byte-level "Ġthe", metaspace "▁the" and a plain " the" are one
// token (the leading space is the word-start flag), and "<0x0A>" is "\n".
// Special tokens are matched one by one: by role (bos, eos, pad, unk), then
// by content; the rest are reported unmatched.
#ifndef TOKGRAFT_TRANSPLANT_VOCABULARY_ALIGNMENT_H_
#define TOKGRAFT_TRANSPLANT_VOCABULARY_ALIGNMENT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model_folder.h"

namespace tokgraft::transplant {

// What a donor row is and where its values come from.
enum class RowKind {
  kShared,           // ordinary token the base has: copied
  kNew,              // ordinary token the base lacks: estimated by the method
  kSpecialMatched,   // special token matched by role or content: copied
  kSpecialUnmatched, // special token the base has no counterpart for: estimated
  kPadding,          // a matrix row no token uses: estimated from the donor's row
};

struct SpecialTokenMatch {
  uint32_t donor_id = 0;
  std::string content;
  std::string role;                  // "" if none
  std::optional<uint32_t> base_id;   // empty: unmatched
  std::string matched_by;            // "role", "content" or ""
};

struct VocabularyAlignment {
  size_t rows = 0;                     // rows of the output matrices
  std::vector<RowKind> kind;           // per output row
  std::vector<int64_t> base_row;       // per output row: the base row copied, or -1
  std::vector<std::string> bytes;      // per output row: canonical bytes of ordinary tokens
  std::vector<bool> donor_has_row;     // per output row: the donor matrix has this row
  // Shared ordinary tokens in donor-id order: the OMP dictionary.
  std::vector<uint32_t> shared_donor, shared_base;
  std::vector<SpecialTokenMatch> specials;
  size_t base_tokens = 0;              // base tokens with a row, ordinary + added
  size_t base_tokens_without_row = 0;  // base tokenizer ids past its matrix
  size_t donor_ids_past_rows = 0;      // donor tokenizer ids past its matrix (rows added)
  // Base row of each canonical byte string the base has.
  std::map<std::string, uint32_t> base_by_bytes;
};

VocabularyAlignment AlignVocabularies(const ModelFolder& base, const ModelFolder& donor);

// Canonical bytes of every ordinary token of a tokenizer; added tokens and
// holes give nullopt.
std::vector<std::optional<std::string>> CanonicalBytes(const Tokenizer& tokenizer);

}  // namespace tokgraft::transplant

#endif  // TOKGRAFT_TRANSPLANT_VOCABULARY_ALIGNMENT_H_
