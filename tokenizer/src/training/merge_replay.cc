// MergeSchedule and ReplayMerges: a merge list as training steps, replayed on
// counted words with the trainer's pair counting (PairCountedWords).
#include "tokgraft/merge_replay.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_format.h"
#include "byte_level_alphabet.h"
#include "training/pair_counted_words.h"
#include "utf8.h"

namespace tokgraft {
namespace {

// Characters that are tokens but take part in no merge get ids of their own
// above every merge id: their pairs are counted (they are pairs training saw
// and did not merge) but never merged.
constexpr uint32_t kUnmergedCharBase = 1u << 31;

}  // namespace

absl::StatusOr<MergeSchedule> MergeSchedule::Create(const std::vector<std::pair<std::string, std::string>>& merges,
                                                    bool byte_level,
                                                    std::function<bool(std::string_view)> is_character_token,
                                                    size_t max_merges) {
  MergeSchedule schedule;
  schedule.byte_level_ = byte_level;
  schedule.is_character_token_ = std::move(is_character_token);
  // Tokens by their key: raw bytes (byte-level) or text. Only tokens that
  // exist at the current step have an id.
  absl::flat_hash_map<std::string, uint32_t> ids;
  uint32_t next_id = 0;
  if (byte_level) {
    for (int b = 0; b < 256; ++b) ids.emplace(std::string(1, static_cast<char>(b)), next_id++);
  } else {
    // The alphabet: every character that some merge uses.
    for (const auto& [left, right] : merges) {
      for (const std::string* part : {&left, &right}) {
        for (size_t i = 0, len = 0; i < part->size(); i += len) {
          const char32_t c = utf8::Decode(*part, i, &len);
          if (schedule.char_ids_.try_emplace(c, next_id).second) {
            ids.emplace(part->substr(i, len), next_id++);
          }
        }
      }
    }
  }
  const size_t used = max_merges == 0 ? merges.size() : std::min(max_merges, merges.size());
  schedule.merges_used_ = used;
  std::string left_key, right_key;
  for (size_t i = 0; i < used; ++i) {
    const auto& [left, right] = merges[i];
    if (byte_level) {
      for (const std::string* part : {&left, &right}) {
        std::string* key = part == &left ? &left_key : &right_key;
        if (!byte_level::MappedToBytes(*part, key)) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "merge %d (\"%s\" \"%s\") names token \"%s\", which is not written in the byte-level alphabet", i,
              left, right, *part));
        }
      }
    } else {
      left_key = left;
      right_key = right;
    }
    if (left_key.empty() || right_key.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat("merge %d (\"%s\" \"%s\") has an empty part", i, left, right));
    }
    const auto l = ids.find(left_key), r = ids.find(right_key);
    const bool parts_exist = l != ids.end() && r != ids.end();
    const std::string token = left + right;
    if (schedule.steps_.empty() || schedule.steps_.back().token != token) {
      MergeStep step;
      step.token = token;
      step.first_merge = static_cast<uint32_t>(i);
      step.reachable = false;
      schedule.steps_.push_back(std::move(step));
    }
    MergeStep& step = schedule.steps_.back();
    if (parts_exist) {
      step.pairs.emplace_back(l->second, r->second);
      step.reachable = true;
    }
    // The token exists from here on, whether its parts did or not, as it does
    // in the tokenizer (which applies merges to whatever symbols it has).
    auto [merged, is_new] = ids.try_emplace(left_key + right_key, next_id);
    if (is_new) ++next_id;
    step.merged = merged->second;
    if (next_id >= kUnmergedCharBase) return absl::InvalidArgumentError("too many merges");
  }
  return schedule;
}

void MergeSchedule::WordSymbols(std::string_view word, std::vector<uint32_t>* symbols,
                                std::vector<uint32_t>* run_ends) const {
  if (byte_level_) {
    for (char c : word) symbols->push_back(static_cast<uint8_t>(c));
    run_ends->push_back(static_cast<uint32_t>(symbols->size()));
    return;
  }
  const size_t start = symbols->size();
  for (size_t i = 0, len = 0; i < word.size(); i += len) {
    const char32_t c = utf8::Decode(word, i, &len);
    if (auto it = char_ids_.find(c); it != char_ids_.end()) {
      symbols->push_back(it->second);
    } else if (is_character_token_ && is_character_token_(word.substr(i, len))) {
      symbols->push_back(kUnmergedCharBase + static_cast<uint32_t>(c));
    } else if (symbols->size() > start && (run_ends->empty() || run_ends->back() != symbols->size())) {
      run_ends->push_back(static_cast<uint32_t>(symbols->size()));
    }
  }
  if (symbols->size() > start && (run_ends->empty() || run_ends->back() != symbols->size())) {
    run_ends->push_back(static_cast<uint32_t>(symbols->size()));
  }
}

absl::StatusOr<MergeReplay> ReplayMerges(const MergeSchedule& schedule,
                                         const absl::flat_hash_map<std::string, uint64_t>& words,
                                         const std::function<void(size_t, size_t)>& on_step) {
  PairCountedWords counted;
  {
    std::vector<uint32_t> symbols, run_ends;
    for (const auto& [word, count] : words) {
      symbols.clear();
      run_ends.clear();
      schedule.WordSymbols(word, &symbols, &run_ends);
      uint32_t begin = 0;
      for (uint32_t end : run_ends) {
        if (end - begin >= 2) counted.AddWord(absl::MakeConstSpan(symbols.data() + begin, end - begin), count);
        begin = end;
      }
    }
  }
  counted.set_track_changes(true);
  counted.CountPairs();

  // The words where each pair occurs (or occurred: a list may name words
  // where the pair has since merged away, which merging skips).
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> pair_words;
  auto index_new_pairs = [&] {
    counted.TakeNewPairWords([&](uint64_t pair, std::vector<uint32_t>&& new_words) {
      std::vector<uint32_t>& list = pair_words[pair];
      if (list.empty()) {
        list = std::move(new_words);
      } else {
        list.insert(list.end(), new_words.begin(), new_words.end());
      }
    });
  };
  index_new_pairs();

  MergeReplay replay;
  const std::vector<MergeStep>& steps = schedule.steps();
  replay.step_counts.assign(steps.size(), 0);
  absl::Status overflow;
  auto record_changes = [&](uint32_t step) {
    std::vector<uint64_t>& changed = counted.changed_pairs();
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    for (uint64_t pair : changed) {
      const int64_t count = counted.Count(pair);
      if (count > std::numeric_limits<uint32_t>::max()) {
        overflow = absl::InvalidArgumentError("a pair occurs more than 2^32 - 1 times; use a smaller sample");
      }
      replay.changes.push_back({step, static_cast<uint32_t>(count), pair});
    }
    changed.clear();
  };
  record_changes(0);
  for (size_t s = 0; s < steps.size(); ++s) {
    const MergeStep& step = steps[s];
    int64_t before = 0;
    for (const auto& [left, right] : step.pairs) before += counted.Count(PairKey(left, right));
    replay.step_counts[s] = static_cast<uint32_t>(std::min<int64_t>(before, std::numeric_limits<uint32_t>::max()));
    for (const auto& [left, right] : step.pairs) {
      const uint64_t key = PairKey(left, right);
      auto it = pair_words.find(key);
      if (it == pair_words.end()) continue;
      const std::vector<uint32_t> holders = std::move(it->second);
      pair_words.erase(it);
      for (uint32_t w : holders) counted.MergeInWord(w, left, right, step.merged);
      // Every occurrence is merged now; the trainer leaves the count as it
      // was, but other steps compare against the true count.
      if (counted.Count(key) != 0) counted.SetCount(key, 0);
    }
    index_new_pairs();
    record_changes(static_cast<uint32_t>(s + 1));
    if (on_step && (s + 1) % 1024 == 0) on_step(s + 1, steps.size());
  }
  if (!overflow.ok()) return overflow;
  if (on_step) on_step(steps.size(), steps.size());
  return replay;
}

}  // namespace tokgraft
