// Expected alignments follow the reference (HF tokenizers 0.23, checked with
// its oracle on a byte-fallback BPE whose tokens are the normalized bytes).
#include "normalizers/normalizers.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "utf8.h"

namespace tokgraft {
namespace {

// The normalized text, character by character, with each character's origin:
// "a[0,1) U+0301[1,3)". Characters are ASCII or U+XXXX.
std::string Aligned(const AlignedString& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t len;
    char32_t c = utf8::Decode(s.text(), i, &len);
    ByteSpan origin = s.Origin(i);
    for (size_t k = 1; k < len; ++k) {
      ByteSpan other = s.Origin(i + k);
      if (!(other == origin)) absl::StrAppend(&out, "<bytes of one char differ>");
    }
    if (!out.empty()) out += ' ';
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      absl::StrAppend(&out, absl::StrFormat("U+%04X", static_cast<uint32_t>(c)));
    }
    absl::StrAppend(&out, "[", origin.begin, ",", origin.end, ")");
    i += len;
  }
  return out;
}

std::unique_ptr<Normalizer> Unicode(UnicodeForm form) {
  absl::StatusOr<std::unique_ptr<Normalizer>> n = MakeUnicodeNormalizer(form);
  EXPECT_TRUE(n.ok()) << n.status();
  return *std::move(n);
}

std::unique_ptr<Normalizer> Replace(std::string pattern, bool is_regex, std::string content) {
  absl::StatusOr<std::unique_ptr<Normalizer>> n =
      MakeReplaceNormalizer(std::move(pattern), is_regex, std::move(content));
  EXPECT_TRUE(n.ok()) << n.status();
  return *std::move(n);
}

AlignedString Normalized(const Normalizer& n, std::string_view text, uint32_t base = 0) {
  AlignedString s(text, base, true);
  n.Normalize(&s);
  return s;
}

TEST(UnicodeNormalizerTest, DecompositionAlignsEveryPartToTheSource) {
  auto nfd = Unicode(UnicodeForm::kNFD);
  EXPECT_EQ(Aligned(Normalized(*nfd, "\xC3\xA9")), "e[0,2) U+0301[0,2)");  // é
  EXPECT_EQ(Aligned(Normalized(*nfd, "x\xC3\xA9y")), "x[0,1) e[1,3) U+0301[1,3) y[3,4)");
}

TEST(UnicodeNormalizerTest, CompositionMergesOrigins) {
  auto nfc = Unicode(UnicodeForm::kNFC);
  EXPECT_EQ(Aligned(Normalized(*nfc, "e\xCC\x81")), "U+00E9[0,1)");  // e + U+0301
  EXPECT_EQ(Normalized(*nfc, "e\xCC\x81").text(), "\xC3\xA9");
  // A long ASCII prefix: the base character of the composition is its last byte.
  std::string text = std::string(100, 'a') + "e\xCC\x81!";
  AlignedString s = Normalized(*nfc, text);
  EXPECT_EQ(s.text(), std::string(100, 'a') + "\xC3\xA9!");
  EXPECT_EQ(s.Origin(99), (ByteSpan{99, 100}));
  EXPECT_EQ(s.Origin(100), (ByteSpan{100, 101}));
  EXPECT_EQ(s.Origin(102), (ByteSpan{103, 104}));
}

TEST(UnicodeNormalizerTest, CompatibilityForms) {
  auto nfkc = Unicode(UnicodeForm::kNFKC);
  EXPECT_EQ(Aligned(Normalized(*nfkc, "\xEF\xAC\x81")), "f[0,3) i[0,3)");            // ﬁ
  EXPECT_EQ(Aligned(Normalized(*nfkc, "x\xE2\x91\xA0")), "x[0,1) 1[1,4)");           // ①
  EXPECT_EQ(Aligned(Normalized(*nfkc, "\xC2\xA0")), " [0,2)");                       // NBSP
  EXPECT_EQ(Aligned(Normalized(*nfkc, "\xE3\x8C\x80")),                              // ㌀
            "U+30A2[0,3) U+30D1[0,3) U+30FC[0,3) U+30C8[0,3)");
  auto nfkd = Unicode(UnicodeForm::kNFKD);
  EXPECT_EQ(Aligned(Normalized(*nfkd, "\xC7\x84")), "D[0,2) Z[0,2) U+030C[0,2)");    // Ǆ
}

TEST(UnicodeNormalizerTest, Hangul) {
  auto nfd = Unicode(UnicodeForm::kNFD);
  EXPECT_EQ(Aligned(Normalized(*nfd, "\xED\x95\x9C")), "U+1112[0,3) U+1161[0,3) U+11AB[0,3)");  // 한
  auto nfc = Unicode(UnicodeForm::kNFC);
  // A composed character maps to the first character it was made of only.
  EXPECT_EQ(Aligned(Normalized(*nfc, "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB")), "U+D55C[0,3)");
}

TEST(UnicodeNormalizerTest, ReorderedMarksAlignByPosition) {
  // The reference aligns the i-th output character to the i-th source
  // character, so reordered marks swap origins.
  auto nfd = Unicode(UnicodeForm::kNFD);
  // a + U+0301 (class 230) + U+0323 (class 220) -> a U+0323 U+0301.
  EXPECT_EQ(Aligned(Normalized(*nfd, "a\xCC\x81\xCC\xA3")), "a[0,1) U+0323[1,3) U+0301[3,5)");
  // ḋ + U+0323 -> d U+0323 U+0307: the dot above, inserted by the
  // decomposition of ḋ, lands after U+0323 and takes its origin.
  EXPECT_EQ(Aligned(Normalized(*nfd, "\xE1\xB8\x8B\xCC\xA3")), "d[0,3) U+0323[3,5) U+0307[3,5)");

  auto nfc = Unicode(UnicodeForm::kNFC);
  // e + U+0301 + U+0323 + x -> ẹ U+0301 x: ẹ replaces e and the next source
  // character (U+0301); the remaining U+0301 replaces U+0323.
  EXPECT_EQ(Aligned(Normalized(*nfc, "e\xCC\x81\xCC\xA3x")), "U+1EB9[0,1) U+0301[3,5) x[5,6)");
}

TEST(UnicodeNormalizerTest, CharactersAfterUnicode9AreLeftAlone) {
  // U+1FBF0 SEGMENTED DIGIT ZERO (Unicode 13) has a compatibility mapping to
  // "0", unknown to the reference's Unicode 9.0 tables.
  auto nfkc = Unicode(UnicodeForm::kNFKC);
  EXPECT_EQ(Normalized(*nfkc, "a\xF0\x9F\xAF\xB0\xEF\xAC\x81").text(), "a\xF0\x9F\xAF\xB0" "fi");
  // U+1DFA (Unicode 14, combining class 218) is a starter to the reference,
  // so it does not move before U+0301 (class 230).
  auto nfd = Unicode(UnicodeForm::kNFD);
  EXPECT_EQ(Aligned(Normalized(*nfd, "a\xCC\x81\xE1\xB7\xBA")), "a[0,1) U+0301[1,3) U+1DFA[3,6)");
}

TEST(UnicodeNormalizerTest, NormalizedTextIsUntouched) {
  auto nfc = Unicode(UnicodeForm::kNFC);
  const std::string text = "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x98\x80";
  AlignedString s = Normalized(*nfc, text, 5);
  EXPECT_EQ(s.text(), text);
  EXPECT_EQ(s.Origin(3), (ByteSpan{8, 10}));
  EXPECT_EQ(Normalized(*nfc, "").text(), "");
}

TEST(UnicodeNormalizerTest, OnlyTheChangedSegmentMoves) {
  auto nfd = Unicode(UnicodeForm::kNFD);
  std::string text;
  for (int i = 0; i < 200; ++i) text += "\xE6\x97\xA5 ";  // "日 ", bytes 0-799
  text += "\xC3\xA9";                                       // é, bytes 800-801
  for (int i = 0; i < 200; ++i) text += " \xE6\x97\xA5";  // bytes 802-1601
  AlignedString s = Normalized(*nfd, text, 1000);
  ASSERT_EQ(s.size(), 1603u);
  EXPECT_EQ(s.text().substr(800, 3), "e\xCC\x81");
  EXPECT_EQ(s.Origin(799), (ByteSpan{1799, 1800}));
  EXPECT_EQ(s.Origin(800), (ByteSpan{1800, 1802}));
  EXPECT_EQ(s.Origin(802), (ByteSpan{1800, 1802}));
  EXPECT_EQ(s.Origin(803), (ByteSpan{1802, 1803}));
  EXPECT_EQ(s.Origin(804), (ByteSpan{1803, 1806}));
  EXPECT_EQ(s.OriginOf(1600, 1603), (ByteSpan{2599, 2602}));
}

TEST(UnicodeNormalizerTest, UntrackedText) {
  auto nfkd = Unicode(UnicodeForm::kNFKD);
  AlignedString s("\xEF\xAC\x81\xC3\xA9", 0, false);
  nfkd->Normalize(&s);
  EXPECT_EQ(s.text(), "fie\xCC\x81");
  EXPECT_FALSE(s.tracked());
}

TEST(LowercaseNormalizerTest, MapsCharacterByCharacter) {
  auto lower = MakeLowercaseNormalizer();
  EXPECT_EQ(Aligned(Normalized(*lower, "HeLLo")), "h[0,1) e[1,2) l[2,3) l[3,4) o[4,5)");
  // İ has a two-character lowercase; both map to it.
  EXPECT_EQ(Aligned(Normalized(*lower, "\xC4\xB0x")), "i[0,2) U+0307[0,2) x[2,3)");
  // Ⱥ (2 bytes) lowercases to ⱥ (3 bytes).
  EXPECT_EQ(Aligned(Normalized(*lower, "\xC8\xBA")), "U+2C65[0,2)");
  // No final-sigma rule: every Σ becomes σ.
  EXPECT_EQ(Normalized(*lower, "\xCE\xA3\xCE\x91\xCE\xA3").text(), "\xCF\x83\xCE\xB1\xCF\x83");
  // U+A7CB (Unicode 16) lowercases to U+0264, as in the reference.
  EXPECT_EQ(Normalized(*lower, "\xEA\x9F\x8B").text(), "\xC9\xA4");
  EXPECT_EQ(Normalized(*lower, "already lower \xE6\x97\xA5").text(), "already lower \xE6\x97\xA5");
}

TEST(StripNormalizerTest, StripsUnicodeWhitespace) {
  const std::string text = " \t\xE3\x80\x80hi there\xC2\xA0\n";  // U+3000 ... U+00A0
  EXPECT_EQ(Aligned(Normalized(*MakeStripNormalizer(true, true), text)),
            "h[5,6) i[6,7)  [7,8) t[8,9) h[9,10) e[10,11) r[11,12) e[12,13)");
  EXPECT_EQ(Normalized(*MakeStripNormalizer(true, false), text).text(), "hi there\xC2\xA0\n");
  EXPECT_EQ(Normalized(*MakeStripNormalizer(false, true), text).text(), " \t\xE3\x80\x80hi there");
  EXPECT_EQ(Normalized(*MakeStripNormalizer(true, true), " \n ").text(), "");
  EXPECT_EQ(Normalized(*MakeStripNormalizer(true, true), "\xE2\x80\x8Bx").text(),
            "\xE2\x80\x8Bx");  // U+200B is not White_Space
}

TEST(PrependNormalizerTest, PrefixMapsToTheFirstCharacter) {
  auto prepend = MakePrependNormalizer("\xE2\x96\x81");  // ▁
  EXPECT_EQ(Aligned(Normalized(*prepend, "Hi")), "U+2581[0,1) H[0,1) i[1,2)");
  EXPECT_EQ(Aligned(Normalized(*prepend, "\xC3\xA9", 3)), "U+2581[3,5) U+00E9[3,5)");
  EXPECT_EQ(Normalized(*prepend, "").text(), "");
  EXPECT_EQ(Aligned(Normalized(*MakePrependNormalizer("ab"), "x")), "a[0,1) b[0,1) x[0,1)");
}

TEST(PrependNormalizerTest, EmptyPrefixMovesTheFirstCharacterToTheStart) {
  // What remains of the reference's rewrite is an insertion before
  // everything, which maps to the empty span at the start.
  EXPECT_EQ(Aligned(Normalized(*MakePrependNormalizer(""), "xy", 4)), "x[4,4) y[5,6)");
}

TEST(ReplaceNormalizerTest, ReplacementMapsToTheLastMatchedCharacter) {
  auto replace = Replace(" ", false, "\xE2\x96\x81");
  EXPECT_EQ(Aligned(Normalized(*replace, "a b  c")),
            "a[0,1) U+2581[1,2) b[2,3) U+2581[3,4) U+2581[4,5) c[5,6)");
  EXPECT_EQ(Aligned(Normalized(*Replace("aa", false, "b"), "aaaaa")), "b[1,2) b[3,4) a[4,5)");
  EXPECT_EQ(Aligned(Normalized(*Replace("\xC3\xA9", false, "XY"), "\xC3\xA9z")), "X[0,2) Y[0,2) z[2,3)");
  EXPECT_EQ(Aligned(Normalized(*Replace("-", false, ""), "a-b")), "a[0,1) b[2,3)");
  EXPECT_EQ(Normalized(*replace, "none").text(), "none");
}

TEST(ReplaceNormalizerTest, Regex) {
  auto replace = Replace(" {2,}", true, " ");
  EXPECT_EQ(Aligned(Normalized(*replace, "a   b c")), "a[0,1)  [3,4) b[4,5)  [5,6) c[6,7)");
}

TEST(ReplaceNormalizerTest, Errors) {
  EXPECT_FALSE(MakeReplaceNormalizer("", false, "x").ok());
  EXPECT_FALSE(MakeReplaceNormalizer("(", true, "x").ok());
}

TEST(SequenceNormalizerTest, Llama2Pipeline) {
  std::vector<std::unique_ptr<Normalizer>> steps;
  steps.push_back(MakePrependNormalizer("\xE2\x96\x81"));
  steps.push_back(Replace(" ", false, "\xE2\x96\x81"));
  auto sequence = MakeSequenceNormalizer(std::move(steps));
  EXPECT_EQ(Aligned(Normalized(*sequence, "Hi yo")),
            "U+2581[0,1) H[0,1) i[1,2) U+2581[2,3) y[3,4) o[4,5)");
  // A leading space: the prepended ▁ and the replaced space both map to it.
  EXPECT_EQ(Aligned(Normalized(*sequence, " a")), "U+2581[0,1) U+2581[0,1) a[1,2)");
}

TEST(NormalizerDescribeTest, OneLineEach) {
  EXPECT_EQ(Unicode(UnicodeForm::kNFC)->Describe(), "NFC");
  EXPECT_EQ(Unicode(UnicodeForm::kNFKD)->Describe(), "NFKD");
  EXPECT_EQ(MakeLowercaseNormalizer()->Describe(), "Lowercase");
  EXPECT_EQ(MakeStripNormalizer(true, false)->Describe(), "Strip(left)");
  EXPECT_EQ(MakeStripNormalizer(true, true)->Describe(), "Strip(left, right)");
  EXPECT_EQ(Replace("\n", false, "\xE2\x96\x81")->Describe(), "Replace(\"\\n\" -> \"\xE2\x96\x81\")");
  EXPECT_EQ(Replace("\\s+", true, " ")->Describe(), "Replace(/\\\\s+/ -> \" \")");
  std::vector<std::unique_ptr<Normalizer>> steps;
  steps.push_back(MakePrependNormalizer("\xE2\x96\x81"));
  steps.push_back(Unicode(UnicodeForm::kNFC));
  EXPECT_EQ(MakeSequenceNormalizer(std::move(steps))->Describe(),
            "Sequence[Prepend(\"\xE2\x96\x81\"), NFC]");
}

}  // namespace
}  // namespace tokgraft
