#include "encoding_rules.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"

namespace tokgraft::bytes_internal {
namespace {

// Continuations that decide where the ByteLevel (GPT-2) pattern and Digits cut
// a text's last pre-tokens: end of text, a character of each class the pattern
// tells apart (letter, digit, other, apostrophe, space, newline, tab), a space
// before each class, and the contraction suffixes.
constexpr const char* kProbes[] = {"",  "a",  "A",  "0",   "!",   "'",  " ",  " a", " 0", " !",
                                   "\n", "\na", "\t", "é", "s", "t", "m", "d", "re", "ve", "ll"};

// The range the second byte of a UTF-8 sequence must lie in, by lead byte.
void SecondByteRange(uint8_t lead, uint8_t* lo, uint8_t* hi) {
  *lo = 0x80;
  *hi = 0xBF;
  if (lead == 0xE0) *lo = 0xA0;
  if (lead == 0xED) *hi = 0x9F;
  if (lead == 0xF0) *lo = 0x90;
  if (lead == 0xF4) *hi = 0x8F;
}

int SequenceLength(uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// The smallest and the largest completions of a character cut short.
std::vector<std::string> Completions(std::string_view partial) {
  const uint8_t lead = static_cast<uint8_t>(partial[0]);
  const int missing = SequenceLength(lead) - static_cast<int>(partial.size());
  uint8_t lo, hi;
  SecondByteRange(lead, &lo, &hi);
  std::string low, high;
  for (int k = 0; k < missing; ++k) {
    const bool second = partial.size() + k == 1;
    low.push_back(static_cast<char>(second ? lo : 0x80));
    high.push_back(static_cast<char>(second ? hi : 0xBF));
  }
  return {low, high};
}

}  // namespace

size_t ScanUtf8(std::string_view s, size_t begin, size_t* incomplete_at) {
  *incomplete_at = s.size();
  size_t i = begin;
  while (i < s.size()) {
    const uint8_t lead = static_cast<uint8_t>(s[i]);
    const int len = SequenceLength(lead);
    if (len == 0) return i;
    for (int k = 1; k < len; ++k) {
      if (i + k >= s.size()) {
        *incomplete_at = i;
        return s.size();
      }
      uint8_t lo = 0x80, hi = 0xBF;
      if (k == 1) SecondByteRange(lead, &lo, &hi);
      const uint8_t c = static_cast<uint8_t>(s[i + k]);
      if (c < lo || c > hi) return i;
    }
    i += len;
  }
  return s.size();
}

absl::Status EncodingRules::Check(const Tokenizer& tokenizer) {
  const TokenizerInfo info = tokenizer.Info();
  if (info.format == "sentencepiece") {
    return absl::InvalidArgumentError(
        "sentencepiece .model files are not supported for byte-level probabilities: libsentencepiece does not "
        "expose its pre-tokenization and merges (use the model's tokenizer.json)");
  }
  if (info.model_type != "BPE") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s models are not supported for byte-level probabilities (only BPE, whose encodings are prefix-closed)",
        info.model_type));
  }
  for (const std::string& line : info.pipeline) {
    if (absl::StartsWith(line, "normalizer: ") && line != "normalizer: none") {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s is not supported for byte-level probabilities: tokens must stand for the text's own bytes", line));
    }
    if (absl::StartsWith(line, "pre_tokenizer: ")) {
      // What is left once the supported components are removed must be the
      // punctuation of a Sequence.
      std::string rest = absl::StrReplaceAll(
          line.substr(15), {{"ByteLevel(add_prefix_space=false, use_regex=true)", ""},
                            {"ByteLevel(add_prefix_space=false, use_regex=false)", ""},
                            {"Digits(individual)", ""},
                            {"Digits", ""},
                            {"Sequence[", ""},
                            {"none", ""}});
      if (rest.find_first_not_of("], ") != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s is not supported for byte-level probabilities: which pre-token boundaries are final is known only "
            "for ByteLevel (GPT-2 pattern, no prefix space) and Digits",
            line));
      }
    }
    if (absl::StartsWith(line, "model: ")) {
      if (line.find("byte-level") == std::string::npos) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s is not supported for byte-level probabilities: only byte-level BPE (every byte a token)", line));
      }
      if (line.find("ignore_merges") != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s is not supported for byte-level probabilities: with ignore_merges a piece that is a token stays "
            "whole, so encodings are not prefix-closed",
            line));
      }
    }
  }
  for (const SpecialTokenInfo& added : info.added_tokens) {
    if (!added.special) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "non-special added token \"%s\" (id %d) is not supported for byte-level probabilities", added.content,
          added.id));
    }
  }
  if (absl::StatusOr<std::vector<ByteSpan>> spans = tokenizer.PreTokenSpans("a b"); !spans.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not supported for byte-level probabilities: ", spans.status().message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<EncodingRules>> EncodingRules::Create(const Tokenizer& tokenizer) {
  if (absl::Status s = Check(tokenizer); !s.ok()) return s;
  std::unique_ptr<EncodingRules> rules(new EncodingRules(tokenizer));
  const TokenizerInfo info = tokenizer.Info();
  rules->token_bytes_.resize(info.vocab_size);
  std::vector<bool> added(info.vocab_size, false);
  for (const SpecialTokenInfo& t : info.added_tokens) {
    if (t.id < added.size()) added[t.id] = true;
  }
  for (uint32_t id = 0; id < info.vocab_size; ++id) {
    if (added[id]) continue;
    if (std::optional<std::string> bytes = tokenizer.IdToBytes(id)) rules->token_bytes_[id] = *std::move(bytes);
    if (!rules->token_bytes_[id].empty()) {
      rules->by_first_byte_[static_cast<uint8_t>(rules->token_bytes_[id][0])].push_back(id);
    }
  }
  for (int b = 0; b < 256; ++b) {
    absl::StatusOr<std::vector<uint32_t>> ids = tokenizer.EncodePiece(std::string(1, static_cast<char>(b)));
    if (!ids.ok()) return ids.status();
    if (ids->size() != 1) {
      return absl::InvalidArgumentError(absl::StrFormat("the vocabulary has no token for the byte 0x%02X", b));
    }
    rules->byte_token_[b] = (*ids)[0];
  }
  return rules;
}

absl::StatusOr<std::vector<uint32_t>> EncodingRules::EncodeValidRun(std::string_view run) const {
  absl::StatusOr<std::vector<ByteSpan>> spans = tokenizer_.PreTokenSpans(run);
  if (!spans.ok()) return spans.status();
  std::vector<uint32_t> ids;
  for (const ByteSpan& span : *spans) {
    absl::StatusOr<std::vector<uint32_t>> piece = tokenizer_.EncodePiece(run.substr(span.begin, span.end - span.begin));
    if (!piece.ok()) return piece.status();
    ids.insert(ids.end(), piece->begin(), piece->end());
  }
  return ids;
}

absl::StatusOr<std::vector<uint32_t>> EncodingRules::Canonical(std::string_view bytes) const {
  std::vector<uint32_t> ids;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t incomplete;
    const size_t run_end = std::min(ScanUtf8(bytes, pos, &incomplete), incomplete);
    absl::StatusOr<std::vector<uint32_t>> run = EncodeValidRun(bytes.substr(pos, run_end - pos));
    if (!run.ok()) return run.status();
    ids.insert(ids.end(), run->begin(), run->end());
    if (run_end < bytes.size()) ids.push_back(byte_token_[static_cast<uint8_t>(bytes[run_end])]);
    pos = run_end + 1;
  }
  return ids;
}

absl::StatusOr<EncodingRules::Fixed> EncodingRules::FixedPrefix(std::string_view tail) const {
  Fixed fixed;
  size_t incomplete = tail.size();
  size_t last_bad = std::string_view::npos;
  for (size_t pos = 0;;) {
    const size_t bad = ScanUtf8(tail, pos, &incomplete);
    if (bad == tail.size()) break;
    last_bad = bad;
    pos = bad + 1;
  }
  if (last_bad != std::string_view::npos) {
    absl::StatusOr<std::vector<uint32_t>> ids = Canonical(tail.substr(0, last_bad + 1));
    if (!ids.ok()) return ids.status();
    fixed.tokens = *std::move(ids);
    fixed.length = last_bad + 1;
  }
  const std::string_view complete = tail.substr(fixed.length, incomplete - fixed.length);
  absl::StatusOr<std::vector<ByteSpan>> spans = tokenizer_.PreTokenSpans(complete);
  if (!spans.ok()) return spans.status();
  if (spans->size() < 2) return fixed;
  for (size_t i = 0; i + 2 < spans->size(); ++i) {
    const ByteSpan& s = (*spans)[i];
    absl::StatusOr<std::vector<uint32_t>> piece = tokenizer_.EncodePiece(complete.substr(s.begin, s.end - s.begin));
    if (!piece.ok()) return piece.status();
    fixed.tokens.insert(fixed.tokens.end(), piece->begin(), piece->end());
  }
  fixed.length += (*spans)[spans->size() - 2].begin;
  return fixed;
}

bool EncodingRules::MatchesPieces(std::string_view tail, absl::Span<const uint32_t> tokens,
                                  const std::vector<uint32_t>& cuts) const {
  size_t next = 0, end = 0, start = 0;
  for (size_t c = 0; c <= cuts.size(); ++c) {
    const size_t cut = c < cuts.size() ? cuts[c] : tail.size();
    const size_t first = next;
    while (next < tokens.size() && end < cut) end += token_bytes_[tokens[next++]].size();
    if (end != cut) return false;
    absl::StatusOr<std::vector<uint32_t>> piece = tokenizer_.EncodePiece(tail.substr(start, cut - start));
    if (!piece.ok() || piece->size() != next - first ||
        !std::equal(piece->begin(), piece->end(), tokens.begin() + first)) {
      return false;
    }
    start = cut;
  }
  return next == tokens.size();
}

// Whether what follows `text` can move pre-token boundaries inside it (for the
// supported pre-tokenizers): when it ends in whitespace (a space joins the next
// word, `\s+(?!\S)` looks ahead), in an apostrophe or an apostrophe and one
// letter (the contractions 's, 're, 'll, ...), or inside a character (whose
// class is not known yet). Otherwise the next character either extends the
// last pre-token or starts a new one.
static bool EndIsOpen(std::string_view text, size_t incomplete) {
  if (incomplete < text.size()) return true;
  if (text.empty()) return false;
  const size_t n = text.size();
  if (text[n - 1] == '\'') return true;
  if (n >= 2 && text[n - 2] == '\'' && (text[n - 1] == 'r' || text[n - 1] == 'v' || text[n - 1] == 'l')) return true;
  // The last character's code point.
  size_t start = n - 1;
  while (start > 0 && (static_cast<uint8_t>(text[start]) & 0xC0) == 0x80) --start;
  const uint8_t lead = static_cast<uint8_t>(text[start]);
  uint32_t cp = lead < 0x80 ? lead : lead < 0xE0 ? lead & 0x1F : lead < 0xF0 ? lead & 0x0F : lead & 0x07;
  for (size_t i = start + 1; i < n; ++i) cp = (cp << 6) | (static_cast<uint8_t>(text[i]) & 0x3F);
  // Unicode White_Space.
  return (cp >= 9 && cp <= 13) || cp == 32 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

bool EncodingRules::AcceptValidUtf8Tail(std::string_view tail, absl::Span<const uint32_t> tokens) const {
  size_t incomplete;
  ScanUtf8(tail, 0, &incomplete);
  if (!EndIsOpen(tail, incomplete)) {
    absl::StatusOr<std::vector<ByteSpan>> spans = tokenizer_.PreTokenSpans(tail);
    if (!spans.ok()) return false;
    std::vector<uint32_t> cuts;
    for (const ByteSpan& s : *spans) {
      if (s.begin > 0) cuts.push_back(s.begin);
    }
    return MatchesPieces(tail, tokens, cuts);
  }
  std::vector<std::string> completions = {""};
  if (incomplete < tail.size()) completions = Completions(tail.substr(incomplete));
  std::vector<std::vector<uint32_t>> tried;
  std::string text;
  for (const std::string& completion : completions) {
    for (const char* probe : kProbes) {
      text.assign(tail);
      text += completion;
      text += probe;
      absl::StatusOr<std::vector<ByteSpan>> spans = tokenizer_.PreTokenSpans(text);
      if (!spans.ok()) continue;
      std::vector<uint32_t> cuts;
      for (const ByteSpan& s : *spans) {
        if (s.begin > 0 && s.begin < tail.size()) cuts.push_back(s.begin);
      }
      if (std::find(tried.begin(), tried.end(), cuts) != tried.end()) continue;
      if (MatchesPieces(tail, tokens, cuts)) return true;
      tried.push_back(std::move(cuts));
    }
  }
  return false;
}

bool EncodingRules::AcceptTail(std::string_view tail, absl::Span<const uint32_t> tokens) const {
  bool accepted = false;
  size_t incomplete = tail.size(), last_bad = std::string_view::npos;
  for (size_t pos = 0;;) {
    const size_t bad = ScanUtf8(tail, pos, &incomplete);
    if (bad == tail.size()) break;
    last_bad = bad;
    pos = bad + 1;
  }
  if (last_bad == std::string_view::npos) {
    accepted = AcceptValidUtf8Tail(tail, tokens);
  } else {
    // Bytes that are not UTF-8 cut the text: what precedes the last of them
    // must be its canonical encoding, and the rest is a tail of its own.
    size_t split = 0, end = 0;
    while (split < tokens.size() && end < last_bad + 1) end += token_bytes_[tokens[split++]].size();
    if (end == last_bad + 1) {
      absl::StatusOr<std::vector<uint32_t>> head = Canonical(tail.substr(0, end));
      accepted = head.ok() && head->size() == split && std::equal(head->begin(), head->end(), tokens.begin()) &&
                 AcceptValidUtf8Tail(tail.substr(end), tokens.subspan(split));
    }
  }
  return accepted;
}

EncodingRules::NextTokens::NextTokens(const EncodingRules& rules, std::string_view tail,
                                      absl::Span<const uint32_t> tokens)
    : rules_(rules), tail_(tail), tokens_(tokens.begin(), tokens.end()) {
  size_t incomplete;
  if (ScanUtf8(tail, 0, &incomplete) != tail.size() || incomplete < tail.size()) return;
  absl::StatusOr<std::vector<ByteSpan>> spans = rules.tokenizer_.PreTokenSpans(tail);
  if (!spans.ok()) return;
  // The start of the second-to-last pre-token does not move whatever follows
  // (as for FixedPrefix); neither does the last one's if the end is closed.
  size_t start = 0;
  const size_t n = spans->size();
  if (n >= 1 && !EndIsOpen(tail, incomplete)) start = (*spans)[n - 1].begin;
  else if (n >= 2) start = (*spans)[n - 2].begin;
  size_t k = 0, end = 0;
  while (k < tokens.size() && end < start) end += rules.token_bytes_[tokens[k++]].size();
  if (end != start) return;
  local_ = true;
  last_ = tail.substr(start);
  last_tokens_.assign(tokens.begin() + k, tokens.end());
  std::string key = last_;
  key.push_back('\0');
  for (uint32_t id : last_tokens_) key.append(reinterpret_cast<const char*>(&id), sizeof(id));
  if (rules.next_cache_entries_ > (1u << 22)) {
    rules.next_cache_.clear();
    rules.next_cache_entries_ = 0;
  }
  cache_ = &rules.next_cache_[key];
}

bool EncodingRules::NextTokens::Accept(uint32_t t) {
  const std::string& bytes = rules_.token_bytes_[t];
  if (bytes.empty()) return false;
  if (!local_) {
    scratch_.assign(tail_);
    scratch_ += bytes;
    tokens_.push_back(t);
    const bool accepted = rules_.AcceptTail(scratch_, tokens_);
    tokens_.pop_back();
    return accepted;
  }
  if (auto it = cache_->find(t); it != cache_->end()) return it->second;
  scratch_.assign(last_);
  scratch_ += bytes;
  last_tokens_.push_back(t);
  const bool accepted = rules_.AcceptTail(scratch_, last_tokens_);
  last_tokens_.pop_back();
  cache_->emplace(t, accepted);
  ++rules_.next_cache_entries_;
  return accepted;
}

}  // namespace tokgraft::bytes_internal
