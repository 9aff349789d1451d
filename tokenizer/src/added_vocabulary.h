// Added tokens (special or not) found in text before the model sees it, with
// the reference's rules: leftmost-longest matching; tokens marked `normalized`
// are looked for in normalized text, the others in the raw input; lstrip,
// rstrip and single_word widen or veto a match.
#ifndef TOKGRAFT_TOKENIZER_ADDED_VOCABULARY_H_
#define TOKGRAFT_TOKENIZER_ADDED_VOCABULARY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokgraft/tokenizer.h"

namespace tokgraft {

struct AddedToken {
  uint32_t id = 0;
  std::string content;
  bool special = false;
  bool normalized = false;
  bool lstrip = false;
  bool rstrip = false;
  bool single_word = false;
};

// A stretch of text: an added token (id set) or plain text to encode.
struct TextSegment {
  ByteSpan span;
  std::optional<uint32_t> id;
};

class AddedTokenMatcher {
 public:
  // `patterns[i]` is what to look for to find `tokens[i]` (its content, or its
  // normalized content).
  AddedTokenMatcher(std::vector<AddedToken> tokens, std::vector<std::string> patterns);

  bool empty() const { return tokens_.empty(); }
  // Cuts `text` into segments covering it. With `skip_special`, special
  // tokens are found but left as plain text, as the reference does.
  void Split(std::string_view text, bool skip_special, std::vector<TextSegment>* segments) const;

 private:
  struct Match {
    int token = -1;  // index into tokens_, -1 when nothing matches
    size_t length = 0;
  };
  // The longest pattern starting at text[at].
  Match LongestAt(std::string_view text, size_t at) const;

  struct Node {
    std::vector<std::pair<unsigned char, int32_t>> children;  // sorted by byte
    int32_t token = -1;
  };
  std::vector<AddedToken> tokens_;
  std::vector<Node> trie_;
  bool can_start_[256] = {};
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_ADDED_VOCABULARY_H_
