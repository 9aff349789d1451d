#include "training/ranked_merges.h"

#include <functional>
#include <queue>

namespace tokgraft {

void RankedMerges::Add(uint32_t left, uint32_t right, uint32_t merged) {
  table_.try_emplace((uint64_t{left} << 32) | right, Merge{static_cast<uint32_t>(table_.size()), merged});
}

const RankedMerges::Merge* RankedMerges::Find(uint32_t left, uint32_t right) const {
  auto it = table_.find((uint64_t{left} << 32) | right);
  return it == table_.end() ? nullptr : &it->second;
}

void RankedMerges::Apply(std::vector<uint32_t>* symbols) const {
  std::vector<uint32_t>& s = *symbols;
  const int n = static_cast<int>(s.size());
  if (n < 2 || table_.empty()) return;
  std::vector<int> next(n), prev(n);
  std::vector<bool> alive(n, true);
  for (int i = 0; i < n; ++i) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  // (rank, position), smallest first: the leftmost among equal ranks.
  using Candidate = std::pair<uint32_t, int>;
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
  auto consider = [&](int i) {
    if (i < 0 || next[i] < 0) return;
    if (const Merge* m = Find(s[i], s[next[i]])) queue.emplace(m->rank, i);
  };
  for (int i = 0; i + 1 < n; ++i) consider(i);
  while (!queue.empty()) {
    const auto [rank, i] = queue.top();
    queue.pop();
    if (!alive[i] || next[i] < 0) continue;
    const Merge* m = Find(s[i], s[next[i]]);
    if (m == nullptr || m->rank != rank) continue;  // stale: the pair changed
    const int j = next[i];
    s[i] = m->merged;
    alive[j] = false;
    next[i] = next[j];
    if (next[j] >= 0) prev[next[j]] = i;
    consider(prev[i]);
    consider(i);
  }
  size_t out = 0;
  for (int i = 0; i < n; ++i) {
    if (alive[i]) s[out++] = s[i];
  }
  s.resize(out);
}

}  // namespace tokgraft
