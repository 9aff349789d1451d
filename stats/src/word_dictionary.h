// A Hunspell dictionary for one language, with a cache: vocabularies share
// most tokens, so each text is looked up once per run.
#ifndef TOKGRAFT_STATS_WORD_DICTIONARY_H_
#define TOKGRAFT_STATS_WORD_DICTIONARY_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

class Hunspell;
struct UConverter;

namespace tokgraft::stats {

// The Hunspell dictionary name for a corpus category ("en" -> "en_US"), or
// nullopt for categories that are not a natural language with a dictionary.
std::optional<std::string> DictionaryForCategory(std::string_view category);

class WordDictionary {
 public:
  // Opens DIR/NAME.aff and DIR/NAME.dic; NotFound if they are absent.
  static absl::StatusOr<std::unique_ptr<WordDictionary>> Open(const std::string& dir, const std::string& name);
  ~WordDictionary();

  const std::string& name() const { return name_; }
  // Whether `word` (UTF-8) is a word of the language.
  bool IsWord(std::string_view word);

 private:
  WordDictionary(std::string name, std::unique_ptr<Hunspell> hunspell, UConverter* converter);

  std::string name_;
  std::unique_ptr<Hunspell> hunspell_;
  UConverter* converter_;  // UTF-8 -> the dictionary's encoding; null for UTF-8
  absl::flat_hash_map<std::string, bool> cache_;
};

// Whether a token's text (one leading space dropped) is made only of letters
// and combining marks: the tokens whose word validity is measured.
bool IsAlphabetic(std::string_view text);

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_WORD_DICTIONARY_H_
