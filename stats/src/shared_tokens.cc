#include "shared_tokens.h"

#include <string_view>

#include "absl/container/flat_hash_set.h"

namespace tokgraft::stats {

std::vector<std::vector<uint64_t>> CountSharedTokens(const std::vector<const TokenTable*>& tables) {
  std::vector<absl::flat_hash_set<absl::string_view>> sets(tables.size());
  for (size_t i = 0; i < tables.size(); ++i) {
    const TokenTable& table = *tables[i];
    for (size_t id = 0; id < table.vocab_size(); ++id) {
      if (table.kinds[id] == TokenKind::kRegular || table.kinds[id] == TokenKind::kByteFallback) {
        sets[i].insert(table.bytes[id]);
      }
    }
  }
  std::vector<std::vector<uint64_t>> shared(tables.size(), std::vector<uint64_t>(tables.size()));
  for (size_t i = 0; i < tables.size(); ++i) {
    shared[i][i] = sets[i].size();
    for (size_t j = i + 1; j < tables.size(); ++j) {
      // Probe the smaller set against the larger.
      const auto& small = sets[i].size() <= sets[j].size() ? sets[i] : sets[j];
      const auto& large = sets[i].size() <= sets[j].size() ? sets[j] : sets[i];
      uint64_t count = 0;
      for (absl::string_view bytes : small) count += large.contains(bytes);
      shared[i][j] = shared[j][i] = count;
    }
  }
  return shared;
}

}  // namespace tokgraft::stats
