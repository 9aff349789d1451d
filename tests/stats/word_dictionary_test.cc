#include "word_dictionary.h"

#include "gtest/gtest.h"

namespace tokgraft::stats {
namespace {

constexpr char kDictionaries[] = "/usr/share/hunspell";

std::unique_ptr<WordDictionary> OpenOrNull(const std::string& name) {
  absl::StatusOr<std::unique_ptr<WordDictionary>> dictionary = WordDictionary::Open(kDictionaries, name);
  return dictionary.ok() ? *std::move(dictionary) : nullptr;
}

TEST(WordDictionaryTest, CategoriesMapToDictionaries) {
  EXPECT_EQ(DictionaryForCategory("en"), "en_US");
  EXPECT_EQ(DictionaryForCategory("pl"), "pl_PL");
  EXPECT_EQ(DictionaryForCategory("python"), std::nullopt);
  EXPECT_EQ(DictionaryForCategory("ja"), std::nullopt);
  EXPECT_TRUE(absl::IsNotFound(WordDictionary::Open("/nonexistent", "en_US").status()));
}

TEST(WordDictionaryTest, AlphabeticTokens) {
  EXPECT_TRUE(IsAlphabetic(" the"));
  EXPECT_TRUE(IsAlphabetic("Größe"));
  EXPECT_TRUE(IsAlphabetic("नमस्ते"));  // letters with combining marks
  EXPECT_FALSE(IsAlphabetic(" "));
  EXPECT_FALSE(IsAlphabetic("  the"));
  EXPECT_FALSE(IsAlphabetic("it's"));
  EXPECT_FALSE(IsAlphabetic("42"));
  EXPECT_FALSE(IsAlphabetic("\xE4\xB8"));  // a split character
}

TEST(WordDictionaryTest, ChecksWordsInUtf8AndLegacyEncodedDictionaries) {
  auto en = OpenOrNull("en_US");
  auto pl = OpenOrNull("pl_PL");  // ISO 8859-2
  if (en == nullptr || pl == nullptr) GTEST_SKIP() << "needs hunspell-en-us and hunspell-pl (tools/install-deps.sh)";
  EXPECT_TRUE(en->IsWord("house"));
  EXPECT_TRUE(en->IsWord("House"));
  EXPECT_FALSE(en->IsWord("xqzhouse"));
  EXPECT_TRUE(en->IsWord("house"));  // cached
  EXPECT_TRUE(pl->IsWord("żółw"));
  EXPECT_FALSE(pl->IsWord("żółwx"));
  EXPECT_FALSE(pl->IsWord("日本"));  // not representable in ISO 8859-2
}

}  // namespace
}  // namespace tokgraft::stats
