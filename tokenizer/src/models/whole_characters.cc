#include "models/whole_characters.h"

#include <algorithm>
#include <utility>

namespace tokgraft {

WholeCharacters WholeCharacters::Build(const absl::flat_hash_map<std::string, uint32_t>& vocab,
                                       const MergeTable& merges, const int64_t byte_ids[256]) {
  // A character whose bytes merge into its own token: the first and last
  // symbols of each stage before the last merge, and the highest rank used.
  struct Candidate {
    char32_t code_point;
    uint32_t id;
    uint32_t max_rank = 0;
    std::vector<uint32_t> firsts, lasts;
  };
  std::vector<Candidate> candidates;
  uint32_t max_id = 0;
  for (const auto& entry : vocab) max_id = std::max(max_id, entry.second);
  std::vector<const std::string*> token_of(size_t{max_id} + 1, nullptr);
  std::vector<uint32_t> symbols;
  for (const auto& [token, id] : vocab) {
    token_of[id] = &token;
    char32_t cp = 0;
    if (token.size() < 2 || DecodeTwoOrThreeBytes(token, 0, &cp) != token.size()) continue;
    symbols.clear();
    for (char b : token) symbols.push_back(static_cast<uint32_t>(byte_ids[static_cast<unsigned char>(b)]));
    Candidate c{cp, id, 0, {}, {}};
    while (symbols.size() > 1) {
      size_t best = 0;
      MergeTable::Merge best_merge{MergeTable::kNoRank, 0};
      for (size_t i = 0; i + 1 < symbols.size(); ++i) {
        const MergeTable::Merge m = merges.Find(symbols[i], symbols[i + 1]);
        if (m.rank < best_merge.rank) {
          best_merge = m;
          best = i;
        }
      }
      if (best_merge.rank == MergeTable::kNoRank) break;
      c.firsts.push_back(symbols.front());
      c.lasts.push_back(symbols.back());
      c.max_rank = std::max(c.max_rank, best_merge.rank);
      symbols[best] = best_merge.result;
      symbols.erase(symbols.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    }
    if (symbols.size() == 1 && symbols[0] == id) candidates.push_back(std::move(c));
  }
  WholeCharacters out;
  if (candidates.empty()) return out;

  // Merges that could join a part to a neighbour: (rank, the neighbour's
  // byte next to the character), for parts as right and as left operands.
  using EdgeMerges = std::vector<std::pair<uint32_t, unsigned char>>;
  absl::flat_hash_map<uint32_t, EdgeMerges> joining_first, joining_last;
  for (const Candidate& c : candidates) {
    for (uint32_t p : c.firsts) joining_first[p];
    for (uint32_t p : c.lasts) joining_last[p];
  }
  merges.ForEach([&](uint32_t left, uint32_t right, uint32_t rank) {
    if (auto it = joining_first.find(right); it != joining_first.end()) {
      it->second.emplace_back(rank, static_cast<unsigned char>(token_of[left]->back()));
    }
    if (auto it = joining_last.find(left); it != joining_last.end()) {
      it->second.emplace_back(rank, static_cast<unsigned char>(token_of[right]->front()));
    }
  });

  absl::flat_hash_map<ByteSet, uint16_t> set_index;
  auto intern = [&](const ByteSet& set) -> int {
    if (auto it = set_index.find(set); it != set_index.end()) return it->second;
    if (out.byte_sets_.size() > UINT16_MAX) return -1;  // the character stays in bytes
    set_index.emplace(set, static_cast<uint16_t>(out.byte_sets_.size()));
    out.byte_sets_.push_back(set);
    return static_cast<int>(out.byte_sets_.size() - 1);
  };
  intern(ByteSet{});  // index 0: no byte
  auto unsafe_bytes = [](const std::vector<uint32_t>& parts, const absl::flat_hash_map<uint32_t, EdgeMerges>& joins,
                         uint32_t max_rank) {
    ByteSet set{};
    for (uint32_t p : parts) {
      for (const auto& [rank, byte] : joins.at(p)) {
        if (rank < max_rank) set[byte >> 6] |= uint64_t{1} << (byte & 63);
      }
    }
    return set;
  };
  out.by_code_point_.assign(0x10000, Entry{});
  for (const Candidate& c : candidates) {
    const int before = intern(unsafe_bytes(c.firsts, joining_first, c.max_rank));
    const int after = intern(unsafe_bytes(c.lasts, joining_last, c.max_rank));
    if (before < 0 || after < 0) continue;
    out.by_code_point_[c.code_point] = Entry{c.id, static_cast<uint16_t>(before), static_cast<uint16_t>(after)};
    ++out.size_;
  }
  return out;
}

}  // namespace tokgraft
