// Byte-pair encoding of one pre-tokenized piece, with the reference's exact
// semantics: start from characters (bytes in byte-level mode), then merge the
// adjacent pair of lowest rank, leftmost first, until no pair has a merge.
//
// Speed comes from: a per-thread cache of encoded pieces; a quadratic but
// tiny merge loop for short pieces and, for long ones, rank buckets whose
// merges run one rank at a time in left-to-right sweeps (merge_queue.h;
// n log n, never quadratic); cache-friendly merge lookups (merge_table.h); in byte-level
// mode, starting multi-byte characters as their tokens where that cannot
// change the result (whole_characters.h); and, for character-level
// vocabularies whose pieces are whole documents (sentencepiece-style, no
// pre-tokenizer), cutting long pieces where no token can span (a character
// pair found inside no token), which makes the pieces cacheable without
// changing the result.
#ifndef TOKGRAFT_TOKENIZER_MODELS_BPE_MODEL_H_
#define TOKGRAFT_TOKENIZER_MODELS_BPE_MODEL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "models/merge_table.h"
#include "models/whole_characters.h"
#include "tokgraft/tokenizer.h"
#include "utf8.h"

namespace tokgraft {

struct BpeOptions {
  // Symbols are raw bytes, and vocabulary keys are raw bytes (already decoded
  // from the GPT-2 alphabet by the loader).
  bool byte_level = false;
  bool byte_fallback = false;
  bool fuse_unk = false;
  // A piece that is itself a token is emitted as is, without merging.
  bool ignore_merges = false;
  std::optional<std::string> unk_token;
  std::string continuing_subword_prefix;
  std::string end_of_word_suffix;
  // Probability of skipping a merge (BPE-dropout); 0 disables it.
  float dropout = 0;
};

// BPE-dropout for one encode call: each merge is skipped when a draw from
// `rng` (uniform in [0, 1), 53 bits) is below `probability`.
struct MergeDropout {
  double probability = 0;
  std::mt19937_64* rng = nullptr;
};

class BpeModel {
 public:
  // `vocab` maps token keys to ids; `merges` lists (left, right) keys in rank
  // order, an empty pair standing for a merge that can never apply. Fails
  // naming the first merge whose parts or result are unknown.
  static absl::StatusOr<std::unique_ptr<BpeModel>> Create(
      BpeOptions options, absl::flat_hash_map<std::string, uint32_t> vocab,
      const std::vector<std::pair<std::string, std::string>>& merges);
  // tiktoken's rule instead of a merge list: any two tokens whose concatenation
  // is a token merge, ranked by that token's rank (ids are ranks).
  static absl::StatusOr<std::unique_ptr<BpeModel>> CreateFromRanks(
      BpeOptions options, absl::flat_hash_map<std::string, uint32_t> ranks);

  // Appends the ids of `piece` and, if `spans` is not null, their byte spans
  // relative to the piece. `dropout`, if not null, replaces options().dropout.
  void Encode(std::string_view piece, std::vector<uint32_t>* ids, std::vector<ByteSpan>* spans,
              const MergeDropout* dropout = nullptr) const;

  const BpeOptions& options() const { return options_; }
  const absl::flat_hash_map<std::string, uint32_t>& vocab() const { return vocab_; }
  size_t num_merges() const { return merges_.size(); }
  // Multi-byte characters that may start as one symbol (byte-level models).
  size_t num_whole_characters() const { return whole_characters_.size(); }

 private:
  struct Symbol {
    uint32_t id;
    uint32_t begin;  // byte offset in the piece
    uint32_t len;    // bytes covered
  };
  class PieceCache;

  BpeModel(BpeOptions options, absl::flat_hash_map<std::string, uint32_t> vocab);
  // Initial-symbol tables (bytes, byte fallback, unk), then the merge table's lookup form.
  void IndexCharacters();

  // The merge of symbols i and i + 1 of `piece`'s initial symbols.
  MergeTable::Merge InitialMerge(std::string_view piece, const std::vector<Symbol>& s, size_t i,
                                 RecentMerges& recent) const {
    // Two single-byte symbols of a byte-level model: a dense table answers.
    if (merges_.has_byte_pairs() && s[i].len == 1 && s[i + 1].len == 1) {
      return merges_.FindBytes(static_cast<unsigned char>(piece[s[i].begin]),
                               static_cast<unsigned char>(piece[s[i + 1].begin]));
    }
    return recent.Find(s[i].id, s[i + 1].id);
  }

  // `whole_piece`: the piece came from the pre-tokenizer as is (not a chunk of one).
  void EncodeCached(PieceCache& cache, std::string_view piece, bool whole_piece, std::vector<uint32_t>* ids,
                    std::vector<ByteSpan>* spans, uint32_t base) const;
  void EncodeUncached(std::string_view piece, std::vector<Symbol>* symbols, RecentMerges& recent) const;
  // `whole_characters`: start a multi-byte character as its token where that
  // cannot change the result (not with dropout, which skips merges).
  void InitialSymbols(std::string_view piece, bool whole_characters, std::vector<Symbol>* symbols) const;
  // Both merge `piece`'s initial symbols.
  void MergeShort(std::string_view piece, std::vector<Symbol>* symbols, RecentMerges& recent) const;
  void MergeWithQueue(std::string_view piece, std::vector<Symbol>* symbols, RecentMerges& recent,
                      const MergeDropout* dropout) const;
  // Cut points inside a long character-level piece that no token can span.
  void SafeCuts(std::string_view piece, std::vector<size_t>* cuts) const;

  BpeOptions options_;
  absl::flat_hash_map<std::string, uint32_t> vocab_;
  MergeTable merges_;
  WholeCharacters whole_characters_;  // byte-level models only
  // Initial symbol ids: per byte in byte-level mode, per ASCII character
  // otherwise (-1 when absent); other characters through CharacterId (or
  // vocab_, when a subword prefix or suffix changes the keys).
  int64_t single_byte_id_[256];
  std::optional<uint32_t> unk_id_;
  int64_t byte_fallback_id_[256];  // "<0xNN>" tokens, -1 when absent
  // For SafeCuts (character-level models): character pairs found inside some
  // token. Built at load time, which is cheaper than a first encode.
  void IndexInnerPairs();
  bool CanCut() const {
    return !options_.byte_level && options_.continuing_subword_prefix.empty() &&
           options_.end_of_word_suffix.empty();
  }
  absl::flat_hash_set<uint64_t> inner_pairs_;
  // Pairs of ASCII characters and the metaspace U+2581 (which stands for
  // every space in sentencepiece-style text) are in a bitmap, others hashed.
  static constexpr int kCommonCharacters = 129;
  static int CommonIndex(char32_t c) { return c < 128 ? static_cast<int>(c) : c == 0x2581 ? 128 : -1; }
  std::vector<bool> common_inner_pairs_;  // [first * kCommonCharacters + second]
  // Character-level models: the token of each character by itself, looked up
  // for every character of every uncached piece (a hash of a string key costs
  // several times more).
  static constexpr uint32_t kNoCharacter = UINT32_MAX;
  std::vector<uint32_t> bmp_character_ids_;  // below U+10000, kNoCharacter where none
  absl::flat_hash_map<char32_t, uint32_t> other_character_ids_;
  int64_t CharacterId(char32_t c) const {
    if (c < 0x10000) {
      const uint32_t id = bmp_character_ids_[c];
      return id == kNoCharacter ? -1 : int64_t{id};
    }
    auto it = other_character_ids_.find(c);
    return it == other_character_ids_.end() ? -1 : int64_t{it->second};
  }
  // Whether `len` bytes at text[i] are a lead byte and its continuations.
  static bool IsMultiByteCharacterAt(std::string_view text, size_t i, size_t len) {
    if (len < 2 || i + len > text.size() || static_cast<unsigned char>(text[i]) < 0xC0) return false;
    for (size_t k = 1; k < len; ++k) {
      if (!utf8::IsContinuation(static_cast<unsigned char>(text[i + k]))) return false;
    }
    return true;
  }
  uint64_t serial_;  // identifies this model's entries in thread-local caches
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_MODELS_BPE_MODEL_H_
