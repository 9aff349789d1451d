// TrainBpe: from word counts to a vocabulary and merge list.
#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "byte_level_alphabet.h"
#include "status_macros.h"
#include "tokgraft/trainer.h"
#include "training/merge_learner.h"
#include "training/ranked_merges.h"
#include "training/token_constraints.h"
#include "training/word_splitter.h"
#include "utf8.h"

namespace tokgraft {
namespace {

std::string CharToUtf8(char32_t c) {
  std::string s;
  utf8::Append(c, &s);
  return s;
}

// The alphabet in code point order (the order HF's trainer gives it ids):
// for byte-level splitters all 256 byte characters, else the characters seen
// and those asked for.
std::vector<char32_t> Alphabet(const WordCounts& counts, const BpeTrainerOptions& options) {
  std::vector<char32_t> alphabet;
  if (counts.splitter().info().byte_level) {
    for (int b = 0; b < 256; ++b) alphabet.push_back(byte_level::ByteToChar(static_cast<uint8_t>(b)));
  } else {
    absl::flat_hash_set<char32_t> seen;
    auto add_chars = [&](std::string_view text) {
      for (size_t i = 0, len = 0; i < text.size(); i += len) seen.insert(utf8::Decode(text, i, &len));
    };
    for (const auto& [word, count] : counts.words()) add_chars(word);
    add_chars(options.initial_alphabet);
    alphabet.assign(seen.begin(), seen.end());
  }
  std::sort(alphabet.begin(), alphabet.end());
  return alphabet;
}

// A word's alphabet ids: bytes (byte-level) or characters; characters outside
// the alphabet are dropped, as HF's trainer does.
void WordSymbols(std::string_view word, bool byte_level, const absl::flat_hash_map<char32_t, uint32_t>& ids,
                 std::vector<uint32_t>* symbols) {
  symbols->clear();
  for (size_t i = 0, len = 1; i < word.size(); i += len) {
    const char32_t c = byte_level ? byte_level::ByteToChar(static_cast<uint8_t>(word[i]))
                                  : utf8::Decode(word, i, &len);
    if (auto it = ids.find(c); it != ids.end()) symbols->push_back(it->second);
  }
}

}  // namespace

absl::StatusOr<TrainedBpe> TrainBpe(const WordCounts& counts, const BpeTrainerOptions& options) {
  const WordSplitterInfo& splitter = counts.splitter().info();
  std::vector<std::string> tokens;
  std::vector<uint32_t> units;
  absl::flat_hash_map<std::string, uint32_t> token_ids;
  auto add_token = [&](std::string token, uint32_t length) -> absl::Status {
    if (!token_ids.emplace(token, static_cast<uint32_t>(tokens.size())).second) {
      return absl::InvalidArgumentError(absl::StrFormat("token \"%s\" is given twice", token));
    }
    tokens.push_back(std::move(token));
    units.push_back(length);
    return absl::OkStatus();
  };
  for (const std::string& special : options.special_tokens) {
    if (special.empty()) return absl::InvalidArgumentError("empty special token");
    TOKGRAFT_RETURN_IF_ERROR(add_token(special, 0));
  }
  if (!splitter.byte_level) {  // byte fallback for characters outside the alphabet
    for (int b = 0; b < 256; ++b) TOKGRAFT_RETURN_IF_ERROR(add_token(absl::StrFormat("<0x%02X>", b), 1));
  }
  absl::flat_hash_map<char32_t, uint32_t> alphabet_ids;
  for (char32_t c : Alphabet(counts, options)) {
    alphabet_ids[c] = static_cast<uint32_t>(tokens.size());
    TOKGRAFT_RETURN_IF_ERROR(add_token(CharToUtf8(c), 1));
  }

  RankedMerges initial;
  for (size_t i = 0; i < options.initial_merges.size(); ++i) {
    const auto& [left, right] = options.initial_merges[i];
    auto l = token_ids.find(left), r = token_ids.find(right);
    if (l == token_ids.end() || r == token_ids.end()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "merge %d (\"%s\" \"%s\") of the merge list to resume from uses a token that neither the alphabet "
          "nor an earlier merge makes",
          i, left, right));
    }
    const uint32_t left_id = l->second, right_id = r->second;
    auto [merged, is_new] = token_ids.emplace(left + right, static_cast<uint32_t>(tokens.size()));
    if (is_new) {
      tokens.push_back(left + right);
      units.push_back(units[left_id] + units[right_id]);
    }
    initial.Add(left_id, right_id, merged->second);
  }

  MergeLearner learner(std::move(tokens), std::move(units));
  TokenConstraints constraints(options, splitter.byte_level, learner.tokens(), learner.units());
  if (constraints.active()) {
    learner.SetPairFilter([&constraints](uint32_t a, uint32_t b) { return constraints.Allows(a, b); });
  }
  std::vector<uint32_t> symbols;
  for (const auto& [word, count] : counts.words()) {
    WordSymbols(word, splitter.byte_level, alphabet_ids, &symbols);
    initial.Apply(&symbols);
    learner.AddWord(symbols, count);
  }
  learner.Learn(options.vocab_size, options.min_frequency, options.on_merge);

  TrainedBpe out;
  out.special_tokens = options.special_tokens;
  out.vocab = learner.tokens();
  out.merges = options.initial_merges;
  for (const auto& [left, right] : learner.Merges()) out.merges.emplace_back(out.vocab[left], out.vocab[right]);
  out.splitter = splitter;
  return out;
}

}  // namespace tokgraft
