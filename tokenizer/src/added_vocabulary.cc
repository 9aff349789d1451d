#include "added_vocabulary.h"

#include <algorithm>

#include <unicode/uchar.h>

#include "utf8.h"

namespace tokgraft {
namespace {

// Rust regex's Unicode \w, which the reference uses for single_word.
bool IsWordChar(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  const UChar32 u = static_cast<UChar32>(c);
  const int32_t mask = U_GET_GC_MASK(u);
  return u_hasBinaryProperty(u, UCHAR_ALPHABETIC) || (mask & (U_GC_M_MASK | U_GC_ND_MASK | U_GC_PC_MASK)) ||
         u_hasBinaryProperty(u, UCHAR_JOIN_CONTROL);
}

bool IsSpace(char32_t c) { return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_WHITE_SPACE); }

char32_t LastChar(std::string_view s, size_t end) {
  size_t begin = end - 1;
  while (begin > 0 && utf8::IsContinuation(static_cast<unsigned char>(s[begin]))) --begin;
  size_t len;
  return utf8::Decode(s, begin, &len);
}

// Start of the run of whitespace that ends at `end`.
size_t SpaceRunStart(std::string_view s, size_t end) {
  while (end > 0) {
    size_t begin = end - 1;
    while (begin > 0 && utf8::IsContinuation(static_cast<unsigned char>(s[begin]))) --begin;
    size_t len;
    if (!IsSpace(utf8::Decode(s, begin, &len))) break;
    end = begin;
  }
  return end;
}

// End of the run of whitespace that starts at `begin`.
size_t SpaceRunEnd(std::string_view s, size_t begin) {
  size_t len;
  while (begin < s.size() && IsSpace(utf8::Decode(s, begin, &len))) begin += len;
  return begin;
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens,
                                     std::vector<std::string> patterns)
    : tokens_(std::move(tokens)) {
  trie_.emplace_back();
  for (size_t t = 0; t < patterns.size(); ++t) {
    const std::string& p = patterns[t];
    if (p.empty()) continue;
    can_start_[static_cast<unsigned char>(p[0])] = true;
    int32_t node = 0;
    for (unsigned char b : p) {
      auto& children = trie_[node].children;
      auto it = std::lower_bound(children.begin(), children.end(), std::make_pair(b, int32_t{-1}));
      if (it != children.end() && it->first == b) {
        node = it->second;
      } else {
        const int32_t fresh = static_cast<int32_t>(trie_.size());
        children.insert(it, {b, fresh});
        trie_.emplace_back();
        node = fresh;
      }
    }
    // The first token with a given pattern wins, like a map built in order.
    if (trie_[node].token < 0) trie_[node].token = static_cast<int32_t>(t);
  }
}

AddedTokenMatcher::Match AddedTokenMatcher::LongestAt(std::string_view text, size_t at) const {
  Match best;
  int32_t node = 0;
  for (size_t i = at; i < text.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    const auto& children = trie_[node].children;
    auto it = std::lower_bound(children.begin(), children.end(), std::make_pair(b, int32_t{-1}));
    if (it == children.end() || it->first != b) break;
    node = it->second;
    if (trie_[node].token >= 0) best = {trie_[node].token, i + 1 - at};
  }
  return best;
}

void AddedTokenMatcher::Split(std::string_view text, bool skip_special,
                              std::vector<TextSegment>* segments) const {
  segments->clear();
  size_t done = 0;  // end of the last emitted segment
  size_t at = 0;
  while (at < text.size()) {
    const Match match = can_start_[static_cast<unsigned char>(text[at])] ? LongestAt(text, at) : Match{};
    if (match.token < 0) {
      ++at;
      continue;
    }
    const AddedToken& token = tokens_[match.token];
    size_t start = at;
    size_t stop = at + match.length;
    // A rejected match is still consumed, as the reference's automaton moves past it.
    at = stop;
    if (skip_special && token.special) continue;
    if (token.single_word) {
      size_t len;
      const bool word_before = start > 0 && IsWordChar(LastChar(text, start));
      const bool word_after = stop < text.size() && IsWordChar(utf8::Decode(text, stop, &len));
      if (word_before || word_after) continue;
    }
    if (token.lstrip) start = std::max(SpaceRunStart(text, start), done);
    if (token.rstrip) stop = SpaceRunEnd(text, stop);
    if (done < start) segments->push_back({{static_cast<uint32_t>(done), static_cast<uint32_t>(start)}, {}});
    segments->push_back({{static_cast<uint32_t>(start), static_cast<uint32_t>(stop)}, token.id});
    done = stop;
    at = stop;
  }
  if (done < text.size() || segments->empty()) {
    segments->push_back({{static_cast<uint32_t>(done), static_cast<uint32_t>(text.size())}, {}});
  }
}

}  // namespace tokgraft
