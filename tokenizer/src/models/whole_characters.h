// Multi-byte characters that byte-level BPE may start as one symbol.
//
// Byte-level BPE starts from one symbol per byte, so a CJK character costs two
// merges and their lookups before it is a token, and most of the work on CJK
// text is this. When a character's bytes merge into one token by themselves,
// starting from that token gives the same result provided no merge across the
// character's edge can fire while it is still in parts. Such a merge joins a
// part of the character (a first or last symbol of an intermediate stage)
// with its neighbour, and it fires first only if its rank is below the last
// rank the character needs: every stage has an internal pair of lower rank.
// The neighbour's symbol ends (or starts) with the byte next to the character,
// so each character keeps the bytes that could start such a merge on either
// side, and is taken whole only when its actual neighbours are not among them.
#ifndef TOKGRAFT_TOKENIZER_MODELS_WHOLE_CHARACTERS_H_
#define TOKGRAFT_TOKENIZER_MODELS_WHOLE_CHARACTERS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "models/merge_table.h"
#include "utf8.h"

namespace tokgraft {

class WholeCharacters {
 public:
  // For a byte-level model whose initial symbols are the tokens `byte_ids`
  // of single bytes. Characters of two or three bytes are considered.
  static WholeCharacters Build(const absl::flat_hash_map<std::string, uint32_t>& vocab, const MergeTable& merges,
                               const int64_t byte_ids[256]);

  // If the character at `piece[i]` may start whole, its byte length, with
  // its token in *id; otherwise 0.
  size_t Match(std::string_view piece, size_t i, uint32_t* id) const {
    if (by_code_point_.empty()) return 0;
    char32_t cp;
    const size_t len = DecodeTwoOrThreeBytes(piece, i, &cp);
    if (len == 0) return 0;
    const Entry& e = by_code_point_[cp];
    if (e.id == kNone) return 0;
    if (i > 0 && Contains(e.unsafe_before, piece[i - 1])) return 0;
    if (i + len < piece.size() && Contains(e.unsafe_after, piece[i + len])) return 0;
    *id = e.id;
    return len;
  }

  // Characters that may start whole.
  size_t size() const { return size_; }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  using ByteSet = std::array<uint64_t, 4>;
  struct Entry {
    uint32_t id = kNone;
    uint16_t unsafe_before = 0;  // index into byte_sets_
    uint16_t unsafe_after = 0;
  };
  // The length of the well-formed two- or three-byte character at `text[i]`
  // (no overlong form, no surrogate), with its code point; otherwise 0.
  static size_t DecodeTwoOrThreeBytes(std::string_view text, size_t i, char32_t* cp) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    if (lead < 0xC2 || lead >= 0xF0) return 0;
    const size_t len = lead < 0xE0 ? 2 : 3;
    if (i + len > text.size()) return 0;
    char32_t c = lead & (len == 2 ? 0x1F : 0x0F);
    for (size_t k = 1; k < len; ++k) {
      const unsigned char b = static_cast<unsigned char>(text[i + k]);
      if (!utf8::IsContinuation(b)) return 0;
      c = (c << 6) | (b & 0x3F);
    }
    if (len == 3 && (c < 0x800 || (c >= 0xD800 && c < 0xE000))) return 0;
    *cp = c;
    return len;
  }
  bool Contains(uint16_t set, char byte) const {
    const unsigned char b = static_cast<unsigned char>(byte);
    return (byte_sets_[set][b >> 6] >> (b & 63)) & 1;
  }

  std::vector<Entry> by_code_point_;  // below U+10000; empty when unused
  std::vector<ByteSet> byte_sets_;    // distinct sets; [0] is empty
  size_t size_ = 0;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_MODELS_WHOLE_CHARACTERS_H_
