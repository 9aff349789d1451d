#include "models/bpe_model.h"

#include "models/merge_queue.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "utf8.h"

namespace tokgraft {
namespace {

// Pieces shorter than this are cached, as the reference does (its MAX_LENGTH).
constexpr size_t kMaxCachedPieceBytes = 256;
// Character-level pieces longer than this are cut at safe points first, so
// that the cache sees word-sized chunks rather than whole lines.
constexpr size_t kCutPieceBytes = 24;
// Entries per thread and model before the cache starts over.
constexpr size_t kCacheCapacity = 1 << 17;
// Below this many symbols a rescanning merge loop beats a heap.
constexpr size_t kShortPieceSymbols = 48;

std::atomic<uint64_t> next_serial{1};

absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string ByteFallbackToken(unsigned char b) { return absl::StrFormat("<0x%02X>", b); }

}  // namespace

// Encoded pieces of one model on one thread. Keys and results live in two
// arenas, so an entry costs no allocation of its own; when full, the cache
// starts over.
class BpeModel::PieceCache {
 public:
  struct Entry {
    uint32_t first;  // index of the first token in tokens_
    uint32_t count;
  };
  struct Token {
    uint32_t id;
    uint32_t len;
  };

  static PieceCache& ForModel(const BpeModel& model) {
    // One cache per thread and model, so encoding never takes a lock. Models
    // are few; the map is dropped wholesale if stale serials pile up.
    thread_local absl::flat_hash_map<uint64_t, std::unique_ptr<PieceCache>> caches;
    auto it = caches.find(model.serial_);
    if (it != caches.end()) return *it->second;
    if (caches.size() >= 16) caches.clear();
    return *caches.emplace(model.serial_, std::make_unique<PieceCache>(&model.merges_)).first->second;
  }

  explicit PieceCache(const MergeTable* merges) : recent_merges(merges) {}

  RecentMerges recent_merges;

  const Entry* Find(std::string_view piece) const {
    auto it = entries_.find(AsAbsl(piece));
    return it == entries_.end() ? nullptr : &it->second;
  }

  const Token* tokens(const Entry& e) const { return tokens_.data() + e.first; }

  template <typename Symbols>
  const Entry& Insert(std::string_view piece, const Symbols& symbols) {
    if (entries_.size() >= kCacheCapacity || key_bytes_used_ + piece.size() > kKeyArenaBytes) {
      entries_.clear();
      tokens_.clear();
      key_bytes_used_ = 0;
    }
    // Not value-initialized: pages are touched only as keys fill them.
    if (!key_arena_) key_arena_.reset(new char[kKeyArenaBytes]);
    char* key = key_arena_.get() + key_bytes_used_;
    std::copy(piece.begin(), piece.end(), key);
    key_bytes_used_ += piece.size();
    Entry entry{static_cast<uint32_t>(tokens_.size()), static_cast<uint32_t>(symbols.size())};
    for (const auto& sym : symbols) tokens_.push_back({sym.id, sym.len});
    return entries_.emplace(absl::string_view(key, piece.size()), entry).first->second;
  }

 private:
  static constexpr size_t kKeyArenaBytes = kCacheCapacity * 16;
  absl::flat_hash_map<absl::string_view, Entry> entries_;
  std::vector<Token> tokens_;
  std::unique_ptr<char[]> key_arena_;
  size_t key_bytes_used_ = 0;
};

BpeModel::BpeModel(BpeOptions options, absl::flat_hash_map<std::string, uint32_t> vocab)
    : options_(std::move(options)), vocab_(std::move(vocab)), serial_(next_serial++) {}

absl::StatusOr<std::unique_ptr<BpeModel>> BpeModel::Create(
    BpeOptions options, absl::flat_hash_map<std::string, uint32_t> vocab,
    const std::vector<std::pair<std::string, std::string>>& merges) {
  std::unique_ptr<BpeModel> model(new BpeModel(std::move(options), std::move(vocab)));
  const size_t prefix_len = model->options_.continuing_subword_prefix.size();
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [left, right] = merges[rank];
    if (left.empty() && right.empty()) continue;
    auto l = model->vocab_.find(left);
    auto r = model->vocab_.find(right);
    if (l == model->vocab_.end() || r == model->vocab_.end()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "merge %d (\"%s\" \"%s\") names a token that is not in the vocabulary", rank, left,
          l == model->vocab_.end() ? left : right));
    }
    // The right part's continuing-subword prefix is not repeated in the result.
    std::string merged = left;
    if (right.size() >= prefix_len) merged.append(right, prefix_len);
    auto m = model->vocab_.find(merged);
    if (m == model->vocab_.end()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "merge %d (\"%s\" \"%s\") makes \"%s\", which is not in the vocabulary", rank, left,
          right, merged));
    }
    // A repeated pair keeps its last rank, as the reference's map does.
    model->merges_.Set(l->second, r->second, static_cast<uint32_t>(rank), m->second);
  }
  model->IndexCharacters();
  if (model->options_.unk_token && !model->unk_id_) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "unk_token \"%s\" is not in the vocabulary", *model->options_.unk_token));
  }
  return model;
}

absl::StatusOr<std::unique_ptr<BpeModel>> BpeModel::CreateFromRanks(
    BpeOptions options, absl::flat_hash_map<std::string, uint32_t> ranks) {
  std::unique_ptr<BpeModel> model(new BpeModel(std::move(options), std::move(ranks)));
  for (const auto& [token, rank] : model->vocab_) {
    for (size_t cut = 1; cut < token.size(); ++cut) {
      auto l = model->vocab_.find(absl::string_view(token.data(), cut));
      if (l == model->vocab_.end()) continue;
      auto r = model->vocab_.find(absl::string_view(token.data() + cut, token.size() - cut));
      if (r == model->vocab_.end()) continue;
      model->merges_.Set(l->second, r->second, rank, rank);
    }
  }
  model->IndexCharacters();
  for (int b = 0; b < 256; ++b) {
    if (model->single_byte_id_[b] < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("the rank file has no token for the single byte 0x%02X", b));
    }
  }
  return model;
}

void BpeModel::IndexCharacters() {
  for (int b = 0; b < 256; ++b) {
    single_byte_id_[b] = -1;
    if (!options_.byte_level && b >= 0x80) continue;  // not a whole character
    auto it = vocab_.find(std::string(1, static_cast<char>(b)));
    if (it != vocab_.end()) single_byte_id_[b] = it->second;
  }
  for (int b = 0; b < 256; ++b) {
    auto it = vocab_.find(ByteFallbackToken(static_cast<unsigned char>(b)));
    byte_fallback_id_[b] = it == vocab_.end() ? int64_t{-1} : int64_t{it->second};
  }
  if (options_.unk_token) {
    auto it = vocab_.find(*options_.unk_token);
    if (it != vocab_.end()) unk_id_ = it->second;
  }
  if (!options_.byte_level) {
    bmp_character_ids_.assign(0x10000, kNoCharacter);
    for (const auto& [token, id] : vocab_) {
      // Single ASCII characters are in single_byte_id_.
      if (token.empty() || utf8::SequenceLength(static_cast<unsigned char>(token[0])) != token.size() ||
          !IsMultiByteCharacterAt(token, 0, token.size())) {
        continue;
      }
      size_t len = 0;
      const char32_t c = utf8::Decode(token, 0, &len);
      if (c < 0x10000) {
        bmp_character_ids_[c] = id;
      } else {
        other_character_ids_[c] = id;
      }
    }
  }
  if (CanCut()) IndexInnerPairs();
  // Byte-level pieces start as one symbol per byte, each its byte's token,
  // when every byte has a token and no prefix or suffix changes the keys.
  const bool plain = options_.continuing_subword_prefix.empty() && options_.end_of_word_suffix.empty();
  std::vector<int64_t> byte_ids(single_byte_id_, single_byte_id_ + 256);
  const bool bytes_are_symbols = options_.byte_level && plain &&
                                 std::all_of(byte_ids.begin(), byte_ids.end(), [](int64_t id) { return id >= 0; });
  if (!bytes_are_symbols) byte_ids.clear();
  merges_.Finish(byte_ids);
  if (bytes_are_symbols) whole_characters_ = WholeCharacters::Build(vocab_, merges_, single_byte_id_);
}

void BpeModel::InitialSymbols(std::string_view piece, bool whole_characters, std::vector<Symbol>* symbols) const {
  symbols->clear();
  // At most one symbol per byte; growing a megabyte vector by doubling costs
  // more in fresh pages than the merging itself.
  symbols->reserve(piece.size());
  const bool plain = options_.continuing_subword_prefix.empty() && options_.end_of_word_suffix.empty();
  std::optional<Symbol> unk;  // pending, so consecutive unknowns can fuse
  auto push = [symbols](uint32_t id, size_t begin, size_t len) {
    symbols->push_back(Symbol{id, static_cast<uint32_t>(begin), static_cast<uint32_t>(len)});
  };
  std::string key;
  for (size_t i = 0; i < piece.size();) {
    uint32_t whole_id;
    if (whole_characters) {
      // Empty unless every byte is a symbol: no unknown can be pending here.
      if (const size_t whole_len = whole_characters_.Match(piece, i, &whole_id)) {
        push(whole_id, i, whole_len);
        i += whole_len;
        continue;
      }
    }
    size_t len = options_.byte_level ? 1 : utf8::SequenceLength(static_cast<unsigned char>(piece[i]));
    len = std::min(len, piece.size() - i);
    int64_t id = -1;
    if (plain && len == 1) {
      id = single_byte_id_[static_cast<unsigned char>(piece[i])];
    } else if (plain && !options_.byte_level && IsMultiByteCharacterAt(piece, i, len)) {
      size_t decoded_len;
      id = CharacterId(utf8::Decode(piece, i, &decoded_len));
      if (id < 0) key.assign(piece.data() + i, len);
    } else {
      key.clear();
      if (i > 0) key += options_.continuing_subword_prefix;
      key.append(piece.data() + i, len);
      if (i + len == piece.size()) key += options_.end_of_word_suffix;
      auto it = vocab_.find(key);
      if (it != vocab_.end()) id = it->second;
    }
    if (id < 0 && plain && len == 1) key.assign(piece.data() + i, 1);
    if (id >= 0) {
      if (unk) {
        symbols->push_back(*unk);
        unk.reset();
      }
      push(static_cast<uint32_t>(id), i, len);
    } else if (options_.byte_fallback &&
               std::all_of(key.begin(), key.end(),
                           [this](char b) { return byte_fallback_id_[static_cast<unsigned char>(b)] >= 0; })) {
      // As the reference: every byte of the looked-up string becomes a
      // <0xNN> token covering one byte (a pending unknown waits until later).
      for (size_t k = 0; k < key.size(); ++k) {
        push(static_cast<uint32_t>(byte_fallback_id_[static_cast<unsigned char>(key[k])]),
             i + std::min(k, len - 1), 1);
      }
    } else if (unk_id_) {
      if (unk && options_.fuse_unk) {
        unk->len += static_cast<uint32_t>(len);
      } else {
        if (unk) symbols->push_back(*unk);
        unk = Symbol{*unk_id_, static_cast<uint32_t>(i), static_cast<uint32_t>(len)};
      }
    }
    // Without an unk token an unknown character is dropped, as the reference does.
    i += len;
  }
  if (unk) symbols->push_back(*unk);
}

void BpeModel::MergeShort(std::string_view piece, std::vector<Symbol>* symbols, RecentMerges& recent) const {
  std::vector<Symbol>& s = *symbols;
  // rank[i] is the rank of merging s[i] with s[i + 1], or UINT32_MAX.
  uint32_t rank[kShortPieceSymbols];
  uint32_t result[kShortPieceSymbols];
  auto set = [&](size_t i, MergeTable::Merge m) {
    rank[i] = m.rank;
    result[i] = m.result;
  };
  auto look = [&](size_t i) { set(i, recent.Find(s[i].id, s[i + 1].id)); };
  size_t n = s.size();
  for (size_t i = 0; i + 1 < n; ++i) set(i, InitialMerge(piece, s, i, recent));
  while (n > 1) {
    size_t best = 0;
    for (size_t i = 1; i + 1 < n; ++i) {
      if (rank[i] < rank[best]) best = i;
    }
    if (rank[best] == UINT32_MAX) break;
    s[best].id = result[best];
    s[best].len += s[best + 1].len;
    for (size_t i = best + 1; i + 1 < n; ++i) s[i] = s[i + 1];
    // Pairs run to n - 2: the pair after the merged one moves down by one.
    for (size_t i = best + 1; i + 2 < n; ++i) {
      rank[i] = rank[i + 1];
      result[i] = result[i + 1];
    }
    --n;
    if (best > 0) look(best - 1);
    if (best + 1 < n) look(best);
  }
  s.resize(n);
}

void BpeModel::MergeWithQueue(std::string_view piece, std::vector<Symbol>* symbols, RecentMerges& recent,
                              const MergeDropout* dropout) const {
  std::vector<Symbol>& s = *symbols;
  const int32_t n = static_cast<int32_t>(s.size());
  // A symbol with the pending merge of the pair it starts. A popped queue
  // entry is then checked against memory it has to read anyway; looking its
  // pair up again missed the cache on most pops of a long piece.
  struct Node {
    uint32_t id;
    uint32_t len;  // 0 once merged into its left neighbour
    int32_t prev;
    int32_t next;
    uint32_t rank;  // of the pair (this, next); kNoRank when it does not merge
    uint32_t result;
  };
  constexpr MergeTable::Merge kNoMerge{MergeTable::kNoRank, 0};
  thread_local std::vector<Node> nodes;
  nodes.resize(n);
  thread_local MergeQueue queue;
  queue.Clear();
  for (int32_t i = 0; i < n; ++i) {
    const MergeTable::Merge m = i + 1 < n ? InitialMerge(piece, s, i, recent) : kNoMerge;
    nodes[i] = Node{s[i].id, s[i].len, i - 1, i + 1 < n ? i + 1 : -1, m.rank, m.result};
    if (m.rank != MergeTable::kNoRank) queue.Push(m.rank, static_cast<uint32_t>(i));
  }
  auto merge = [&](uint32_t position) {
    Node& left = nodes[position];
    Node& right = nodes[left.next];
    left.id = left.result;
    left.len += right.len;
    right.len = 0;
    left.next = right.next;
    if (right.next >= 0) nodes[right.next].prev = static_cast<int32_t>(position);
  };
  auto update_pair = [&](int32_t pos) {
    if (pos < 0) return;
    Node& node = nodes[pos];
    const MergeTable::Merge m = node.next < 0 ? kNoMerge : recent.Find(node.id, nodes[node.next].id);
    node.rank = m.rank;
    node.result = m.result;
    if (m.rank != MergeTable::kNoRank) queue.Push(m.rank, static_cast<uint32_t>(pos));
  };

  // The nodes of a sweep are fetched this many merges ahead.
  constexpr size_t kNodesAhead = 8;
  thread_local std::vector<uint32_t> run;
  thread_local std::vector<int32_t> changed;  // positions whose pair a sweep changed
  std::vector<std::pair<uint32_t, uint32_t>> skipped;
  while (!queue.empty()) {
    if (dropout == nullptr) {
      // The lowest rank's merges are the next ones, left to right, until one
      // makes a pair that ranks before them. Where none can (the result is a
      // part only of later rules), the pairs they make are looked up after
      // the sweep: those lookups, into a table far larger than the caches,
      // then overlap instead of each waiting on memory in turn.
      uint32_t rank;
      size_t k;
      queue.PopRank(&rank, &run, &k);
      const bool defer_lookups = merges_.sweepable(rank);
      changed.clear();
      for (; k < run.size(); ++k) {
        if (k + kNodesAhead < run.size()) __builtin_prefetch(&nodes[run[k + kNodesAhead]]);
        const uint32_t position = run[k];
        Node& left = nodes[position];
        // Stale entry: merged away, or the pair changed since it was queued
        // (a rank names one pair).
        if (left.len == 0 || left.rank != rank) continue;
        merge(position);
        if (defer_lookups) {
          left.rank = MergeTable::kNoRank;  // until looked up below
          if (left.prev >= 0 && (changed.empty() || changed.back() != left.prev)) changed.push_back(left.prev);
          changed.push_back(static_cast<int32_t>(position));
          continue;
        }
        update_pair(left.prev);
        update_pair(static_cast<int32_t>(position));
        if ((left.prev >= 0 && nodes[left.prev].rank < rank) || left.rank < rank) {
          queue.PutBack(rank, &run, k + 1);  // after the pair that now comes first
          break;
        }
      }
      for (const int32_t pos : changed) {
        const Node& node = nodes[pos];
        if (node.len != 0 && node.next >= 0) merges_.Prefetch(node.id, nodes[node.next].id);
      }
      for (const int32_t pos : changed) {
        if (nodes[pos].len != 0) update_pair(pos);
      }
      continue;
    }
    uint32_t rank, position;
    queue.Pop(&rank, &position);
    // A fixed-width draw rather than a std distribution, whose algorithm each
    // standard library chooses: ids for a seed are the same everywhere.
    if (static_cast<double>((*dropout->rng)() >> 11) * 0x1.0p-53 < dropout->probability) {
      skipped.emplace_back(rank, position);  // tried again after the next merge that happens
      continue;
    }
    for (const auto& [r, p] : skipped) queue.Push(r, p);
    skipped.clear();
    const Node& left = nodes[position];
    if (left.len == 0 || left.rank != rank) continue;  // stale, as above
    merge(position);
    update_pair(left.prev);
    update_pair(static_cast<int32_t>(position));
  }
  // Survivors keep their first byte, so each takes its begin from its own initial symbol.
  size_t out = 0;
  for (int32_t i = n > 0 ? 0 : -1; i >= 0; i = nodes[i].next) {
    s[out++] = Symbol{nodes[i].id, s[i].begin, nodes[i].len};
  }
  s.resize(out);
}

void BpeModel::EncodeUncached(std::string_view piece, std::vector<Symbol>* symbols, RecentMerges& recent) const {
  InitialSymbols(piece, /*whole_characters=*/true, symbols);
  if (symbols->size() <= kShortPieceSymbols) {
    MergeShort(piece, symbols, recent);
  } else {
    MergeWithQueue(piece, symbols, recent, nullptr);
  }
}

void BpeModel::EncodeCached(PieceCache& cache, std::string_view piece, bool whole_piece,
                            std::vector<uint32_t>* ids, std::vector<ByteSpan>* spans, uint32_t base) const {
  const PieceCache::Entry* hit = cache.Find(piece);
  if (hit == nullptr) {
    thread_local std::vector<Symbol> symbols;
    // ignore_merges applies to whole pieces only, and its answer is cached
    // like any other, so a repeated piece costs one lookup.
    auto token = whole_piece && options_.ignore_merges ? vocab_.find(AsAbsl(piece)) : vocab_.end();
    if (token != vocab_.end()) {
      symbols.assign(1, Symbol{token->second, 0, static_cast<uint32_t>(piece.size())});
    } else {
      EncodeUncached(piece, &symbols, cache.recent_merges);
    }
    hit = &cache.Insert(piece, symbols);
  }
  const PieceCache::Token* tokens = cache.tokens(*hit);
  for (uint32_t i = 0; i < hit->count; ++i) ids->push_back(tokens[i].id);
  if (spans) {
    uint32_t at = base;
    for (uint32_t i = 0; i < hit->count; ++i) {
      spans->push_back({at, at + tokens[i].len});
      at += tokens[i].len;
    }
  }
}

void BpeModel::IndexInnerPairs() {
  common_inner_pairs_.assign(kCommonCharacters * kCommonCharacters, false);
  for (const auto& entry : vocab_) {
    const std::string& token = entry.first;
    // Keys of a character-level vocabulary come from JSON: valid UTF-8.
    size_t len = 0;
    char32_t prev = 0;
    for (size_t i = 0; i < token.size(); i += len) {
      const char32_t c = utf8::Decode(token, i, &len);
      if (i > 0) {
        if (CommonIndex(prev) >= 0 && CommonIndex(c) >= 0) {
          common_inner_pairs_[CommonIndex(prev) * kCommonCharacters + CommonIndex(c)] = true;
        } else {
          inner_pairs_.insert((static_cast<uint64_t>(prev) << 32) | c);
        }
      }
      prev = c;
    }
  }
}

void BpeModel::SafeCuts(std::string_view piece, std::vector<size_t>* cuts) const {
  cuts->clear();
  // A cut between two characters is safe when both are tokens by themselves
  // (so no byte fallback or unknown fusing is involved) and no token contains
  // the pair: then no merge ever joins the two sides, and each side merges
  // exactly as it would within the whole piece.
  char32_t prev = 0;
  bool prev_known = false;
  size_t len = 0;
  for (size_t i = 0; i < piece.size(); i += len) {
    const char32_t c = utf8::Decode(piece, i, &len);
    const bool known = c < 128 ? single_byte_id_[c] >= 0 : CharacterId(c) >= 0;
    if (i > 0 && known && prev_known) {
      const int first = CommonIndex(prev), second = CommonIndex(c);
      const bool inner = first >= 0 && second >= 0 ? common_inner_pairs_[first * kCommonCharacters + second]
                                                       : inner_pairs_.contains((static_cast<uint64_t>(prev) << 32) | c);
      if (!inner) cuts->push_back(i);
    }
    prev = c;
    prev_known = known;
  }
}

void BpeModel::Encode(std::string_view piece, std::vector<uint32_t>* ids, std::vector<ByteSpan>* spans,
                      const MergeDropout* dropout) const {
  if (piece.empty()) return;
  thread_local std::vector<Symbol> symbols;
  auto emit = [&](uint32_t base) {
    for (const Symbol& sym : symbols) {
      ids->push_back(sym.id);
      if (spans) spans->push_back({base + sym.begin, base + sym.begin + sym.len});
    }
  };
  // A tokenizer file's dropout is unseeded, as in the reference.
  thread_local std::mt19937_64 file_rng{std::random_device{}()};
  const MergeDropout file_dropout{options_.dropout, &file_rng};
  if (dropout == nullptr && options_.dropout > 0) dropout = &file_dropout;
  PieceCache& cache = PieceCache::ForModel(*this);
  if (dropout != nullptr && dropout->probability > 0) {
    // The reference neither caches nor applies ignore_merges here.
    InitialSymbols(piece, /*whole_characters=*/false, &symbols);
    MergeWithQueue(piece, &symbols, cache.recent_merges, dropout);
    emit(0);
    return;
  }
  const bool cuttable = CanCut();
  if (piece.size() <= (cuttable ? kCutPieceBytes : kMaxCachedPieceBytes - 1)) {
    EncodeCached(cache, piece, /*whole_piece=*/true, ids, spans, 0);
    return;
  }
  if (options_.ignore_merges) {
    if (auto it = vocab_.find(AsAbsl(piece)); it != vocab_.end()) {
      ids->push_back(it->second);
      if (spans) spans->push_back({0, static_cast<uint32_t>(piece.size())});
      return;
    }
  }
  if (!cuttable) {
    EncodeUncached(piece, &symbols, cache.recent_merges);
    emit(0);
    return;
  }
  thread_local std::vector<size_t> cuts;
  SafeCuts(piece, &cuts);
  cuts.push_back(piece.size());
  size_t begin = 0;
  for (size_t end : cuts) {
    std::string_view chunk = piece.substr(begin, end - begin);
    if (chunk.size() < kMaxCachedPieceBytes) {
      EncodeCached(cache, chunk, /*whole_piece=*/false, ids, spans, static_cast<uint32_t>(begin));
    } else {
      EncodeUncached(chunk, &symbols, cache.recent_merges);
      emit(static_cast<uint32_t>(begin));
    }
    begin = end;
  }
}

}  // namespace tokgraft
