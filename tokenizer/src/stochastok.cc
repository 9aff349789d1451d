#include "tokgraft/stochastok.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"

namespace tokgraft {
namespace {

// Counts of tokens per slot of the original sequence, with prefix sums in
// log time: a position of the growing sequence is found without shifting it.
class SlotLengths {
 public:
  explicit SlotLengths(size_t slots) : tree_(slots + 1) {
    for (size_t i = 1; i <= slots; ++i) tree_[i] = i & (~i + 1);  // every slot holds 1
  }

  void Increment(size_t slot) {
    for (size_t i = slot + 1; i < tree_.size(); i += i & (~i + 1)) ++tree_[i];
  }

  // The slot holding `position`, and the position's offset inside it.
  std::pair<size_t, size_t> Find(size_t position) const {
    size_t slot = 0;
    size_t step = 1;
    while (step * 2 < tree_.size()) step *= 2;
    for (; step > 0; step /= 2) {
      if (slot + step < tree_.size() && tree_[slot + step] <= position) {
        slot += step;
        position -= tree_[slot];
      }
    }
    return {slot, position};
  }

 private:
  std::vector<size_t> tree_;  // Fenwick tree, 1-based
};

}  // namespace

StochasTok StochasTok::Create(const Tokenizer& tokenizer) {
  const TokenizerInfo info = tokenizer.Info();
  std::vector<bool> added(info.vocab_size, false);
  for (const SpecialTokenInfo& t : info.added_tokens) {
    if (t.id < added.size()) added[t.id] = true;
  }
  std::vector<std::string> bytes(info.vocab_size);
  std::vector<size_t> token_length(info.vocab_size, 0);
  absl::flat_hash_map<std::string, uint32_t> id_of_bytes;
  for (uint32_t id = 0; id < info.vocab_size; ++id) {
    if (added[id]) continue;
    std::optional<std::string> b = tokenizer.IdToBytes(id);
    std::optional<std::string> token = tokenizer.IdToToken(id);
    if (!b || !token || b->empty()) continue;
    bytes[id] = *std::move(b);
    token_length[id] = token->size();
    auto [it, inserted] = id_of_bytes.emplace(bytes[id], id);
    if (!inserted && token_length[id] < token_length[it->second]) it->second = id;
  }
  StochasTok table;
  table.first_split_.reserve(info.vocab_size + 1);
  for (uint32_t id = 0; id < info.vocab_size; ++id) {
    table.first_split_.push_back(table.splits_.size());
    const std::string& b = bytes[id];
    for (size_t cut = 1; cut < b.size(); ++cut) {
      auto left = id_of_bytes.find(absl::string_view(b.data(), cut));
      if (left == id_of_bytes.end()) continue;
      auto right = id_of_bytes.find(absl::string_view(b.data() + cut, b.size() - cut));
      if (right == id_of_bytes.end()) continue;
      table.splits_.emplace_back(left->second, right->second);
    }
  }
  table.first_split_.push_back(table.splits_.size());
  return table;
}

absl::Span<const std::pair<uint32_t, uint32_t>> StochasTok::Splits(uint32_t id) const {
  if (size_t{id} + 1 >= first_split_.size()) return {};
  return absl::MakeConstSpan(splits_.data() + first_split_[id], first_split_[id + 1] - first_split_[id]);
}

absl::StatusOr<std::vector<uint32_t>> StochasTok::Expand(absl::Span<const uint32_t> ids,
                                                        const StochasTokOptions& options) const {
  if (!(options.probability >= 0 && options.probability <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("StochasTok probability %g is not in [0, 1]", options.probability));
  }
  size_t attempts = static_cast<size_t>(std::floor(options.probability * static_cast<double>(ids.size())));
  if (options.max_expansions) attempts = std::min(attempts, *options.max_expansions);
  if (attempts == 0) return std::vector<uint32_t>(ids.begin(), ids.end());

  // Each original token is a slot that grows into the tokens it is split into.
  SlotLengths lengths(ids.size());
  absl::flat_hash_map<size_t, std::vector<uint32_t>> split_slots;
  std::mt19937_64 rng(options.seed);
  size_t total = ids.size();
  for (size_t attempt = 0; attempt < attempts; ++attempt) {
    const auto [slot, offset] = lengths.Find(rng() % total);
    auto it = split_slots.find(slot);
    const uint32_t id = it == split_slots.end() ? ids[slot] : it->second[offset];
    const absl::Span<const std::pair<uint32_t, uint32_t>> splits = Splits(id);
    if (splits.empty()) continue;
    const auto [left, right] = splits[rng() % splits.size()];
    if (it == split_slots.end()) it = split_slots.emplace(slot, std::vector<uint32_t>{id}).first;
    std::vector<uint32_t>& tokens = it->second;
    tokens[offset] = left;
    tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(offset) + 1, right);
    lengths.Increment(slot);
    ++total;
  }
  std::vector<uint32_t> out;
  out.reserve(total);
  for (size_t slot = 0; slot < ids.size(); ++slot) {
    auto it = split_slots.find(slot);
    if (it == split_slots.end()) {
      out.push_back(ids[slot]);
    } else {
      out.insert(out.end(), it->second.begin(), it->second.end());
    }
  }
  return out;
}

}  // namespace tokgraft
