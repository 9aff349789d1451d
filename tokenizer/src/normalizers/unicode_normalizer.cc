// NFC, NFD, NFKC and NFKD as the reference computes them, alignments
// included.
//
// The reference (HF NormalizedString::nfc and friends) runs the crate
// unicode-normalization-alignments, whose iterators tag every output character
// with a "change" (0: replaces the next source character, -n: replaces it and
// the n after it, 1: inserted) that NormalizedString::transform turns into
// alignments *positionally*: after canonical reordering, a mark can end up
// aligned to the source character that sat at its position, not to the one it
// came from. To match that, the non-normalized segments are run through the
// same decomposition/recomposition algorithm, with ICU supplying the character
// data; text that is already normalized (nearly all of it) is left untouched.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "aligned_string.h"
#include "normalizers/normalizers.h"
#include "utf8.h"

namespace tokgraft {
namespace {

// ICU's normalizers restricted to the characters of Unicode 9.0, the version of
// the reference's tables: to it, later characters have no decomposition and
// combining class 0, which is how a FilteredNormalizer2 treats characters
// outside its set. The unrestricted ones serve to skip normalized text: what
// is normalized under current Unicode is normalized under Unicode 9.0 (the
// properties of old characters are stable), and their quick check, unlike
// the filtered one, stops at the first problem instead of scanning the set
// membership of the whole rest of the text.
struct Unicode9Normalizers {
  absl::Status status;
  icu::UnicodeSet unicode9;
  std::unique_ptr<icu::FilteredNormalizer2> nfc, nfd, nfkc, nfkd;
  const icu::Normalizer2* current_nfc = nullptr;
  const icu::Normalizer2* current_nfd = nullptr;
  const icu::Normalizer2* current_nfkc = nullptr;
  const icu::Normalizer2* current_nfkd = nullptr;
};

const Unicode9Normalizers& GetUnicode9Normalizers() {
  static const Unicode9Normalizers* const normalizers = [] {
    auto* n = new Unicode9Normalizers;
    UErrorCode error = U_ZERO_ERROR;
    // Age sets are cumulative: everything assigned up to Unicode 9.0.
    n->unicode9.applyPattern(icu::UnicodeString(u"[:age=9.0:]"), error);
    n->unicode9.freeze();
    n->current_nfc = icu::Normalizer2::getNFCInstance(error);
    n->current_nfd = icu::Normalizer2::getNFDInstance(error);
    n->current_nfkc = icu::Normalizer2::getNFKCInstance(error);
    n->current_nfkd = icu::Normalizer2::getNFKDInstance(error);
    if (U_FAILURE(error)) {
      n->status = absl::InternalError(
          absl::StrCat("ICU normalization data unavailable: ", u_errorName(error)));
      return n;
    }
    n->nfc = std::make_unique<icu::FilteredNormalizer2>(*n->current_nfc, n->unicode9);
    n->nfd = std::make_unique<icu::FilteredNormalizer2>(*n->current_nfd, n->unicode9);
    n->nfkc = std::make_unique<icu::FilteredNormalizer2>(*n->current_nfkc, n->unicode9);
    n->nfkd = std::make_unique<icu::FilteredNormalizer2>(*n->current_nfkd, n->unicode9);
    return n;
  }();
  return *normalizers;
}

// One output character of the reference's algorithm, with its change (see the
// file comment) and its canonical combining class.
struct TaggedChar {
  UChar32 c;
  int change;
  uint8_t ccc;
};

// Index of the first non-ASCII byte of `s`, or s.size().
size_t FindNonAscii(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ULL) break;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// Moves `pos` (in UTF-8 `s`) past as many characters as make up `units`
// UTF-16 code units.
size_t AdvanceByUtf16Units(const std::string& s, size_t pos, int32_t units) {
  while (units > 0) {
    size_t len = utf8::SequenceLength(static_cast<unsigned char>(s[pos]));
    pos += len;
    units -= len == 4 ? 2 : 1;
  }
  return pos;
}

class UnicodeNormalizer : public Normalizer {
 public:
  // `current_form` finds the normalized text to skip, `form` (Unicode 9.0)
  // where the segments to rewrite end; `decomposer` is the NFD or NFKD
  // instance; `composer` is null for the decomposing forms.
  UnicodeNormalizer(std::string name, const icu::Normalizer2* form,
                    const icu::Normalizer2* current_form, const icu::Normalizer2* decomposer,
                    const icu::Normalizer2* composer)
      : name_(std::move(name)),
        form_(form),
        current_form_(current_form),
        decomposer_(decomposer),
        composer_(composer) {}

  void Normalize(AlignedString* text) const override {
    const std::string& s = text->text();
    size_t non_ascii = FindNonAscii(s);
    if (non_ascii == s.size()) return;
    // ASCII is normalized and nothing reorders across it, but its last
    // character may compose with what follows.
    size_t check_from = non_ascii == 0 ? 0 : non_ascii - 1;
    UErrorCode error = U_ZERO_ERROR;
    if (current_form_->isNormalizedUTF8(
            icu::StringPiece(s.data() + check_from, static_cast<int32_t>(s.size() - check_from)),
            error) &&
        U_SUCCESS(error)) {
      return;
    }
    NormalizeSegments(check_from, text);
  }

  std::string Describe() const override { return name_; }

 private:
  // Rewrites the segments of text[from, end) that fail ICU's quick check, a
  // segment running from a normalization boundary to the next character with a
  // boundary before it. Segments normalize independently, in the reference's
  // algorithm too, so the rest is copied as is.
  void NormalizeSegments(size_t from, AlignedString* text) const {
    const std::string& s = text->text();
    icu::UnicodeString utf16 = icu::UnicodeString::fromUTF8(
        icu::StringPiece(s.data() + from, static_cast<int32_t>(s.size() - from)));
    const int32_t length16 = utf16.length();
    AlignedStringBuilder out(*text);
    out.Copy(0, from);
    size_t pos = from;
    int32_t pos16 = 0;
    while (pos16 < length16) {
      UErrorCode error = U_ZERO_ERROR;
      int32_t normalized16 = current_form_->spanQuickCheckYes(utf16.tempSubString(pos16), error);
      if (U_FAILURE(error)) normalized16 = 0;
      size_t segment = AdvanceByUtf16Units(s, pos, normalized16);
      out.Copy(pos, segment);
      int32_t segment16 = pos16 + normalized16;
      if (segment16 == length16) break;

      int32_t segment_end16 = segment16 + U16_LENGTH(utf16.char32At(segment16));
      while (segment_end16 < length16 &&
             !form_->hasBoundaryBefore(utf16.char32At(segment_end16))) {
        segment_end16 += U16_LENGTH(utf16.char32At(segment_end16));
      }
      size_t segment_end = AdvanceByUtf16Units(s, segment, segment_end16 - segment16);
      AppendLikeReference(s, segment, segment_end, &out);
      pos = segment_end;
      pos16 = segment_end16;
    }
    *text = std::move(out).Finish();
  }

  // Normalizes s[begin, end) the reference's way and applies its changes to
  // `out` the way NormalizedString::transform does.
  void AppendLikeReference(const std::string& s, size_t begin, size_t end,
                           AlignedStringBuilder* out) const {
    std::vector<TaggedChar> chars = Decompose(s, begin, end);
    if (composer_ != nullptr) chars = Recompose(chars);
    size_t source = begin;  // next source character to be replaced
    std::string bytes;
    for (const TaggedChar& tagged : chars) {
      bytes.clear();
      utf8::Append(static_cast<char32_t>(tagged.c), &bytes);
      if (tagged.change > 0) {
        out->AppendInserted(bytes, source);
        continue;
      }
      out->AppendReplacing(bytes, source);
      for (int replaced = 0; replaced <= -tagged.change && source < end; ++replaced) {
        source += utf8::SequenceLength(static_cast<unsigned char>(s[source]));
      }
    }
  }

  // The crate's Decompositions: each character's full decomposition (first
  // character change 0, the others 1), then a stable sort by combining class
  // of every run of non-starters.
  std::vector<TaggedChar> Decompose(const std::string& s, size_t begin, size_t end) const {
    std::vector<TaggedChar> chars;
    size_t unordered = 0;  // start of the run not yet in canonical order
    auto put_in_order = [&chars, &unordered] {
      std::stable_sort(chars.begin() + unordered, chars.end(),
                       [](const TaggedChar& a, const TaggedChar& b) { return a.ccc < b.ccc; });
      unordered = chars.size();
    };
    auto push = [&](UChar32 c, int change) {
      uint8_t ccc = decomposer_->getCombiningClass(c);
      if (ccc == 0) put_in_order();
      chars.push_back({c, change, ccc});
    };
    icu::UnicodeString mapping;
    for (size_t i = begin; i < end;) {
      size_t len;
      UChar32 c = static_cast<UChar32>(utf8::Decode(s, i, &len));
      i += len;
      if (!decomposer_->getDecomposition(c, mapping)) {
        push(c, 0);
        continue;
      }
      int change = 0;
      for (int32_t k = 0; k < mapping.length();) {
        UChar32 d = mapping.char32At(k);
        push(d, change);
        change = 1;
        k += U16_LENGTH(d);
      }
    }
    put_in_order();
    return chars;
  }

  // The crate's Recompositions, state machine and emission order included: a
  // character composed into the pending starter adds its change minus one.
  std::vector<TaggedChar> Recompose(const std::vector<TaggedChar>& decomposed) const {
    std::vector<TaggedChar> out;
    out.reserve(decomposed.size());
    std::optional<TaggedChar> starter;  // the crate's "composee"
    std::vector<TaggedChar> uncomposed;  // marks after the starter that stay
    int last_ccc = -1;                   // of the last uncomposed mark; -1: none
    for (const TaggedChar& ch : decomposed) {
      if (!starter) {
        if (ch.ccc == 0) {
          starter = ch;
        } else {
          out.push_back(ch);
        }
        continue;
      }
      bool blocked = last_ccc >= ch.ccc;
      if (!blocked) {
        UChar32 composite = composer_->composePair(starter->c, ch.c);
        if (composite >= 0) {
          starter->c = composite;
          starter->change += ch.change - 1;
          continue;
        }
      }
      if (ch.ccc == 0) {
        out.push_back(*starter);
        out.insert(out.end(), uncomposed.begin(), uncomposed.end());
        uncomposed.clear();
        starter = ch;
        last_ccc = -1;
        continue;
      }
      uncomposed.push_back(ch);
      last_ccc = ch.ccc;
    }
    if (starter) out.push_back(*starter);
    out.insert(out.end(), uncomposed.begin(), uncomposed.end());
    return out;
  }

  std::string name_;
  const icu::Normalizer2* form_;
  const icu::Normalizer2* current_form_;
  const icu::Normalizer2* decomposer_;
  const icu::Normalizer2* composer_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Normalizer>> MakeUnicodeNormalizer(UnicodeForm form) {
  const Unicode9Normalizers& n = GetUnicode9Normalizers();
  if (!n.status.ok()) return n.status;
  switch (form) {
    case UnicodeForm::kNFC:
      return std::make_unique<UnicodeNormalizer>("NFC", n.nfc.get(), n.current_nfc,
                                                 n.nfd.get(), n.nfc.get());
    case UnicodeForm::kNFD:
      return std::make_unique<UnicodeNormalizer>("NFD", n.nfd.get(), n.current_nfd,
                                                 n.nfd.get(), nullptr);
    case UnicodeForm::kNFKC:
      return std::make_unique<UnicodeNormalizer>("NFKC", n.nfkc.get(), n.current_nfkc,
                                                 n.nfkd.get(), n.nfc.get());
    case UnicodeForm::kNFKD:
      return std::make_unique<UnicodeNormalizer>("NFKD", n.nfkd.get(), n.current_nfkd,
                                                 n.nfkd.get(), nullptr);
  }
  return absl::InvalidArgumentError("unknown Unicode normalization form");
}

}  // namespace tokgraft
