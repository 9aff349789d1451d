#include "word_dictionary.h"

#include <filesystem>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "hunspell.hxx"
#include "unicode/uchar.h"
#include "unicode/ucnv.h"
#include "unicode/ucnv_err.h"
#include "unicode/unistr.h"
#include "unicode/utf8.h"

namespace tokgraft::stats {

std::optional<std::string> DictionaryForCategory(std::string_view category) {
  static constexpr std::pair<const char*, const char*> kDictionaries[] = {
      {"en", "en_US"}, {"de", "de_DE"}, {"fr", "fr_FR"}, {"es", "es_ES"}, {"it", "it_IT"},
      {"pt", "pt_PT"}, {"ru", "ru_RU"}, {"pl", "pl_PL"}, {"nl", "nl_NL"},
  };
  for (const auto& [language, dictionary] : kDictionaries) {
    if (category == language) return dictionary;
  }
  return std::nullopt;
}

absl::StatusOr<std::unique_ptr<WordDictionary>> WordDictionary::Open(const std::string& dir,
                                                                     const std::string& name) {
  const std::string aff = dir + "/" + name + ".aff";
  const std::string dic = dir + "/" + name + ".dic";
  std::error_code error;
  if (!std::filesystem::exists(aff, error) || !std::filesystem::exists(dic, error)) {
    return absl::NotFoundError(absl::StrFormat("no Hunspell dictionary %s in %s", name, dir));
  }
  auto hunspell = std::make_unique<Hunspell>(aff.c_str(), dic.c_str());
  const std::string encoding = absl::AsciiStrToUpper(hunspell->get_dict_encoding());
  UConverter* converter = nullptr;
  if (encoding != "UTF-8") {
    UErrorCode status = U_ZERO_ERROR;
    converter = ucnv_open(encoding.c_str(), &status);
    if (U_SUCCESS(status)) {
      // Words with characters the encoding lacks are not words of it.
      ucnv_setFromUCallBack(converter, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    }
    if (U_FAILURE(status)) {
      ucnv_close(converter);
      return absl::InternalError(
          absl::StrFormat("Hunspell dictionary %s: unknown encoding %s: %s", name, encoding, u_errorName(status)));
    }
  }
  return std::unique_ptr<WordDictionary>(new WordDictionary(name, std::move(hunspell), converter));
}

WordDictionary::WordDictionary(std::string name, std::unique_ptr<Hunspell> hunspell, UConverter* converter)
    : name_(std::move(name)), hunspell_(std::move(hunspell)), converter_(converter) {}

WordDictionary::~WordDictionary() { ucnv_close(converter_); }

bool WordDictionary::IsWord(std::string_view word) {
  auto [it, inserted] = cache_.try_emplace(std::string(word), false);
  if (!inserted) return it->second;
  if (converter_ == nullptr) {
    it->second = hunspell_->spell(std::string(word));
    return it->second;
  }
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), word.size()));
  std::vector<char> encoded(static_cast<size_t>(text.length()) * 4 + 4);
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length = ucnv_fromUChars(converter_, encoded.data(), static_cast<int32_t>(encoded.size()),
                                         text.getBuffer(), text.length(), &status);
  ucnv_reset(converter_);
  it->second = U_SUCCESS(status) && hunspell_->spell(std::string(encoded.data(), length));
  return it->second;
}

bool IsAlphabetic(std::string_view text) {
  if (!text.empty() && text[0] == ' ') text.remove_prefix(1);
  if (text.empty()) return false;
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(text.size());
  while (i < length) {
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    if (c < 0 || (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK)) == 0) return false;
  }
  return true;
}

}  // namespace tokgraft::stats
