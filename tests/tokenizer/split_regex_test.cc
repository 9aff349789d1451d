#include "pre_tokenizers/split_regex.h"

#include <gtest/gtest.h>
#include <unicode/uchar.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "pre_tokenizers/unicode_class.h"

namespace tokgraft {
namespace {

constexpr char kGpt2[] =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
constexpr char kCl100k[] =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr char kQwen2[] =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr char kO200k[] =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// DeepSeek V3's three Split patterns as its tokenizer.json has them: raw CR
// and LF characters inside classes, and CJK ranges written as characters.
constexpr char kDeepSeekCjk[] = "[一-龥\u3040-ゟ゠-ヿ]+";
constexpr char kDeepSeekMain[] =
    "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
    "| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+";

std::unique_ptr<SplitRegex> MustCompile(std::string_view pattern) {
  auto compiled = SplitRegex::Compile(pattern);
  EXPECT_TRUE(compiled.ok()) << compiled.status();
  return compiled.ok() ? *std::move(compiled) : nullptr;
}

std::unique_ptr<SplitRegex> MustCompileGeneral(std::string_view pattern) {
  auto compiled = SplitRegex::CompileGeneral(pattern);
  EXPECT_TRUE(compiled.ok()) << compiled.status();
  return compiled.ok() ? *std::move(compiled) : nullptr;
}

std::vector<ByteSpan> Spans(const SplitRegex& regex, std::string_view text) {
  std::vector<ByteSpan> spans;
  regex.FindMatches(text, &spans);
  return spans;
}

std::vector<std::string> Pieces(const SplitRegex& regex, std::string_view text) {
  std::vector<std::string> pieces;
  for (const ByteSpan& span : Spans(regex, text)) {
    pieces.emplace_back(text.substr(span.begin, span.end - span.begin));
  }
  return pieces;
}

std::vector<std::string> Pieces(std::string_view pattern, std::string_view text) {
  return Pieces(*MustCompile(pattern), text);
}

using Strings = std::vector<std::string>;

// Expected splits below were written by hand and then confirmed against HF
// tokenizers (Oniguruma).

TEST(SplitRegexTest, PublishedPatternsGetScanners) {
  EXPECT_EQ(MustCompile(kGpt2)->engine(), "gpt2");
  EXPECT_EQ(MustCompile(kCl100k)->engine(), "cl100k");
  EXPECT_EQ(MustCompile(kQwen2)->engine(), "qwen2");
  EXPECT_EQ(MustCompile(kO200k)->engine(), "o200k");
  EXPECT_EQ(MustCompile(kDeepSeekMain)->engine(), "pcre2");
  EXPECT_EQ(MustCompileGeneral(kGpt2)->engine(), "pcre2");
}

TEST(SplitRegexTest, Gpt2Splits) {
  EXPECT_EQ(Pieces(kGpt2, "Hello world's  \n\n  don't I'M 12345 x\u00a0 y  "),
            (Strings{"Hello", " world", "'s", "  \n\n ", " don", "'t", " I", "'", "M", " 12345", " x",
                     "\u00a0", " y", "  "}));
  EXPECT_EQ(Pieces(kGpt2, "'sam''s"), (Strings{"'s", "am", "''", "s"}));
}

TEST(SplitRegexTest, Cl100kSplits) {
  EXPECT_EQ(Pieces(kCl100k, "I'LL go  now!!\n\n\tx 1234567 it'\u017f\r\n  \n y"),
            (Strings{"I", "'LL", " go", " ", " now", "!!\n\n", "\tx", " ", "123", "456", "7", " it",
                     "'\u017f", "\r\n  \n", " y"}));
  EXPECT_EQ(Pieces(kCl100k, "\u00a0\u0301e?!\n\nok"), (Strings{"\u00a0", "\u0301e", "?!\n\n", "ok"}));
}

TEST(SplitRegexTest, Qwen2SplitsDigitsOneByOne) {
  EXPECT_EQ(Pieces(kQwen2, "abc 2024年 x1234"),
            (Strings{"abc", " ", "2", "0", "2", "4", "年", " x", "1", "2", "3", "4"}));
}

TEST(SplitRegexTest, O200kSplits) {
  // "日A": the first alternative backtracks its upper-case star to end at 日.
  EXPECT_EQ(Pieces(kO200k, "HELLOworld's 日A \u0301ABC don'T a/\n/\nb  \n"),
            (Strings{"HELLOworld's", " 日", "A", " \u0301", "ABC", " don'T", " a", "/\n/\n", "b",
                     "  \n"}));
  EXPECT_EQ(Pieces(kO200k, "ǅungla Ǆ ʰA x'LLx 12345"),
            (Strings{"ǅungla", " Ǆ", " ʰ", "A", " x'LL", "x", " ", "123", "45"}));
}

TEST(SplitRegexTest, DeepSeekPatternsRunOnPcre2) {
  EXPECT_EQ(Pieces(kDeepSeekMain, "Hello, world!! $x=1;\r\n  foo(bar) 你好 é"),
            (Strings{"Hello", ",", " world", "!!", " $", "x", "=", ";\r\n", " ", " foo", "(bar", ")",
                     " 你好", " é"}));
  EXPECT_EQ(Pieces(kDeepSeekCjk, "abc日本語のカタカナ漢字x"), (Strings{"日本語のカタカナ漢字"}));
  EXPECT_EQ(Pieces(R"(\p{N}{1,3})", "a12345"), (Strings{"123", "45"}));
}

TEST(SplitRegexTest, Pcre2ReadsOnigSyntaxAsOnigDoes) {
  // \s is White_Space: U+180E (PCRE2's \s has it) and U+200B are not spaces.
  EXPECT_EQ(Pieces(R"(\s+)", "a\u180e\u200b \u0085\u3000b"), (Strings{" \u0085\u3000"}));
  EXPECT_EQ(Pieces(R"(\S+)", "a\u180e b"), (Strings{"a\u180e", "b"}));
  EXPECT_EQ(Pieces(R"([^\s]+)", "a\u180e b"), (Strings{"a\u180e", "b"}));
  EXPECT_EQ(Pieces(R"(\h+)", "abc12 xyz G"), (Strings{"abc12"}));  // hex digits
  EXPECT_EQ(Pieces(R"([\h]+)", "f0 g"), (Strings{"f0"}));
  EXPECT_EQ(Pieces(R"(\v)", "a\x0b\n"), (Strings{"\x0b"}));
  EXPECT_EQ(Pieces(R"(\uFF21)", "A\uff21"), (Strings{"\uff21"}));
  EXPECT_EQ(Pieces("(?m:a.b)", "a\nb"), (Strings{"a\nb"}));  // Ruby's m: dot matches newline
  EXPECT_EQ(Pieces("x{,2}", "xxx"), (Strings{"xx", "x"}));
  EXPECT_EQ(Pieces("^a|b$", "a\na\nb\nb"), (Strings{"a", "a", "b", "b"}));  // line anchors
  EXPECT_EQ(Pieces(".+", "ab\r\ncd"), (Strings{"ab\r", "cd"}));
  EXPECT_EQ(Pieces(R"([\w]+)", "a\u24d0_\u0301\u203f \u2460\u200d"),
            (Strings{"a\u24d0_\u0301\u203f"}));
  EXPECT_EQ(Pieces(R"(\W+)", "a\u24d0 \u2460"), (Strings{" \u2460"}));
  EXPECT_EQ(Pieces(R"(a\b)", "a\u24d0 a\u200d a"), (Strings{"a", "a"}));
  // After an empty match the search resumes one character on, as HF does
  // with Onig: the 'a's are never matched.
  EXPECT_EQ(Pieces(R"(\d*|a)", "a1a"), (Strings{"1"}));
  EXPECT_EQ(Pieces(R"((?#a comment [)b)", "ab"), (Strings{"b"}));
}

TEST(SplitRegexTest, PatternErrorsNameThePatternAndOffset) {
  auto unbalanced = SplitRegex::Compile("ab)");
  ASSERT_FALSE(unbalanced.ok());
  EXPECT_EQ(unbalanced.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unbalanced.status().message().find("\"ab)\""), std::string::npos);
  EXPECT_NE(unbalanced.status().message().find("offset 2"), std::string::npos)
      << unbalanced.status();

  // The offset is the one in the pattern as written, before \s was rewritten.
  auto after_rewrite = SplitRegex::Compile(R"(\s\s[b-a])");
  ASSERT_FALSE(after_rewrite.ok());
  EXPECT_NE(after_rewrite.status().message().find("offset 7"), std::string::npos)
      << after_rewrite.status();

  auto intersection = SplitRegex::Compile("[a-z&&[^aeiou]]");
  ASSERT_FALSE(intersection.ok());
  EXPECT_EQ(intersection.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(intersection.status().message().find("offset 4"), std::string::npos)
      << intersection.status();
}

TEST(SplitRegexTest, AsciiTableAgreesWithIcu) {
  using namespace unicode_class;
  for (char32_t c = 0; c < 128; ++c) {
    const uint32_t category = U_GET_GC_MASK(c);
    const uint8_t cls = OfAscii(static_cast<unsigned char>(c));
    EXPECT_EQ((cls & kLetter) != 0, (category & U_GC_L_MASK) != 0) << c;
    EXPECT_EQ((cls & kNumber) != 0, (category & U_GC_N_MASK) != 0) << c;
    EXPECT_EQ((cls & kSpace) != 0, u_hasBinaryProperty(c, UCHAR_WHITE_SPACE) != 0) << c;
    EXPECT_EQ((cls & kUpperOrUncased) != 0, (category & U_GC_LU_MASK) != 0) << c;
    EXPECT_EQ((cls & kLowerOrUncased) != 0, (category & U_GC_LL_MASK) != 0) << c;
  }
}

// Strings that exercise each alternative's edges: contractions in every case
// (U+017F folds to 's'), whitespace runs before letters, numbers, symbols and
// the end, CR/LF mixes, digit runs of 1 to 7, emoji ZWJ sequences, combining
// marks, CJK, RTL scripts, NUL bytes.
const std::vector<std::string>& AdversarialStrings() {
  static const auto* strings = new std::vector<std::string>{
      "",
      "'s 't 're 've 'm 'll 'd",
      "'S 'T 'RE 'Ve 'M 'LL 'lL 'D",
      "x'\u017f y'\u017fa I'M HE'LL they'Re we'VE",
      "x'\u1e97a x'\u00dfa x'\u212aa x'\ufb06a x'\u0130a",
      "'' '''s 's's x'",
      "don't DON'T Don'T o'clock rock'n'roll",
      "a  b   c    d",
      "trailing   ",
      "  leading",
      " ",
      "\n",
      "\r\n",
      "a\r\n\r\nb",
      "a \n b",
      "a\n\n\n  b",
      "a\t\tb",
      "  \n  \r  \t  x",
      "!!\n\n??\r\n",
      " !\n",
      "a/\n/\n/b //\r\n/",
      "1 12 123 1234 12345 123456 1234567",
      " 1 a1 1a ١٢٣٤ ²³ Ⅻ½",
      "\U0001F468\u200d\U0001F469\u200d\U0001F467 \U0001F44D\U0001F3FD \u2764\ufe0f",
      "e\u0301 a\u0308\u0301 \u0301 \u0301\u0301A \u0301abc",
      "\u0915\u094d\u0937\u093f \u0e01\u0e48\u0e32",
      "日本語のテキスト、中文字符。한국어",
      "日A 日a A日 ÀÉÎ àéî ǅ ǄǅǆA ʰʰa",
      "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u0640\u0640",
      std::string("nul\0byte \0\0 x\0", 15),
      "\u00a0\u00a0x \u3000y \u2028\u2029 \u0085z \u180e\u200b",
      "HELLOworld's ABCdef'S abcDEF'll",
      "x\x0b\x0c\x1c\x1d y",
      "\U0001D400\U0001D41A \U00010400\U00010428 \U0001E900\U0001E922",
  };
  return *strings;
}

// The alphabet random strings are drawn from. Every character in it has had
// the same properties since well before Unicode 14, the oldest of the three
// Unicode versions involved (PCRE2 10.42: 14.0, ICU 72: 15.0, HF's Onig:
// 16.0); characters assigned since would split differently by engine, not by
// a bug. U+180E, U+200B and U+0085 stay in: PCRE2's \s is rewritten to Onig's.
const std::vector<std::string>& RandomAlphabet() {
  static const auto* alphabet = new std::vector<std::string>{
      "a", "Z", "b", "Y", "x", "S", "s", "t", "r", "e", "v", "l", "m", "d", "L", "E",
      "'", "'", "'s", "'S", "'\u017f", "'re", "'RE", "'Ve", "'LL", "'lL", "'m", "'D", "'t", "'x",
      "0", "1", "2", "5", "9", " ", " ", "  ", "\t", "\n", "\r", "\r\n", "\n\n", "\x0b", "\x0c",
      std::string(1, '\0'), "\u0085", "\u00a0", "\u3000", "\u2028", "\u180e", "\u200b", "\u200d",
      "\ufeff", "\x1c", "!", "/", ".", ",", "-", "?", "\"", "(", "]", "{", "#", "*", "_", "=",
      "&", "%", "$", "@", ";", ":", "|", "\\", "~", "`", "^", "//", "\n/",
      "\u0301", "\u0308", "\u0903", "\u02b0", "日", "本", "語", "\u05d0", "\u0627", "ǅ", "À",
      "Ω", "É", "é", "ß", "ω", "\u017f", "\ufb06", "\u0130", "\u212a", "\u1e9e", "\u0653",
      "\u0663", "²", "Ⅻ", "½", "\U0001F600", "\U0001F44D", "\U0001F3FD", "\ufe0f", "\u0915",
      "\u094d", "\u093f", "\u0e01", "\u0e48", "한", "ー", "ゝ", "\u0640", "\U0001D400",
      "\U00010400", "\U0001E900"};
  return *alphabet;
}

std::string RandomString(std::mt19937& rng, size_t max_pieces) {
  const auto& alphabet = RandomAlphabet();
  const size_t pieces = 1 + rng() % max_pieces;
  std::string text;
  for (size_t i = 0; i < pieces; ++i) text += alphabet[rng() % alphabet.size()];
  return text;
}

class ScannerVersusPcre2Test : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    scanner_ = MustCompile(GetParam());
    pcre2_ = MustCompileGeneral(GetParam());
    ASSERT_NE(scanner_->engine(), "pcre2");
  }

  void ExpectSameSpans(std::string_view text) const {
    EXPECT_EQ(Pieces(*scanner_, text), Pieces(*pcre2_, text)) << "text: " << text;
  }

  std::unique_ptr<SplitRegex> scanner_;
  std::unique_ptr<SplitRegex> pcre2_;
};

TEST_P(ScannerVersusPcre2Test, AdversarialStrings) {
  for (const std::string& text : AdversarialStrings()) ExpectSameSpans(text);
}

TEST_P(ScannerVersusPcre2Test, RandomStrings) {
  std::mt19937 rng(20240601);
  for (int i = 0; i < 3000; ++i) ExpectSameSpans(RandomString(rng, 48));
}

TEST_P(ScannerVersusPcre2Test, MatchesTileTheText) {
  std::mt19937 rng(7);
  const std::string text = RandomString(rng, 2000);
  uint32_t expected_begin = 0;
  for (const ByteSpan& span : Spans(*scanner_, text)) {
    ASSERT_EQ(span.begin, expected_begin);
    ASSERT_LT(span.begin, span.end);
    expected_begin = span.end;
  }
  EXPECT_EQ(expected_begin, text.size());
}

TEST_P(ScannerVersusPcre2Test, LongWhitespaceRun) {
  // Deep backtracking for \s+(?!\S) on PCRE2's side.
  ExpectSameSpans(std::string(200000, ' ') + "a" + std::string(100000, '\n') + " ");
}

INSTANTIATE_TEST_SUITE_P(PublishedPatterns, ScannerVersusPcre2Test,
                         ::testing::Values(kGpt2, kCl100k, kQwen2, kO200k));

TEST(SplitRegexTest, ConcurrentFindMatchesAgree) {
  std::mt19937 rng(99);
  const std::string text = RandomString(rng, 5000);
  for (const char* pattern : {kO200k, kDeepSeekMain}) {
    for (auto compile : {&SplitRegex::Compile, &SplitRegex::CompileGeneral}) {
      auto compiled = compile(pattern);
      ASSERT_TRUE(compiled.ok()) << compiled.status();
      const SplitRegex& regex = **compiled;
      const std::vector<ByteSpan> expected = Spans(regex, text);
      std::vector<std::thread> threads;
      std::vector<int> mismatches(4, 0);
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          for (int round = 0; round < 20; ++round) mismatches[t] += Spans(regex, text) != expected;
        });
      }
      for (std::thread& thread : threads) thread.join();
      for (int count : mismatches) EXPECT_EQ(count, 0) << regex.engine();
    }
  }
}

}  // namespace
}  // namespace tokgraft
