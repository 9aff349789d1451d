#include "utf8.h"

#include <string>

#include "gtest/gtest.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {
namespace {

constexpr size_t kValid = std::string_view::npos;
const std::string kFffd = "\xEF\xBF\xBD";

TEST(FindInvalidTest, ValidText) {
  EXPECT_EQ(utf8::FindInvalid(""), kValid);
  EXPECT_EQ(utf8::FindInvalid("plain ASCII, longer than one word"), kValid);
  EXPECT_EQ(utf8::FindInvalid("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"), kValid);
  EXPECT_EQ(utf8::FindInvalid("\xED\x9F\xBF\xEE\x80\x80"), kValid);  // U+D7FF, U+E000
  EXPECT_EQ(utf8::FindInvalid("\xF4\x8F\xBF\xBF"), kValid);          // U+10FFFF
}

TEST(FindInvalidTest, FindsTheFirstBadSequence) {
  EXPECT_EQ(utf8::FindInvalid("\x80"), 0u);                      // lone continuation
  EXPECT_EQ(utf8::FindInvalid("abc\xC0\xAF"), 3u);               // overlong '/'
  EXPECT_EQ(utf8::FindInvalid("\xE0\x80\xAF"), 0u);              // overlong, 3 bytes
  EXPECT_EQ(utf8::FindInvalid("\xF0\x80\x80\xAF"), 0u);          // overlong, 4 bytes
  EXPECT_EQ(utf8::FindInvalid("ok \xED\xA0\x80"), 3u);           // surrogate U+D800
  EXPECT_EQ(utf8::FindInvalid("\xF4\x90\x80\x80"), 0u);          // above U+10FFFF
  EXPECT_EQ(utf8::FindInvalid("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(utf8::FindInvalid("\xC3\xA9\xE2\x82"), 2u);          // truncated at the end
  EXPECT_EQ(utf8::FindInvalid("\xE2\x82" "a"), 0u);
  EXPECT_EQ(utf8::FindInvalid("\xFF"), 0u);
}

TEST(FindInvalidTest, PositionsAroundTheWordAtATimeScan) {
  for (size_t prefix = 0; prefix < 20; ++prefix) {
    std::string s(prefix, 'x');
    s += "\xC3\xA9";
    s += std::string(9, 'y');
    EXPECT_EQ(utf8::FindInvalid(s), kValid) << prefix;
    s += "\xC3";
    EXPECT_EQ(utf8::FindInvalid(s), prefix + 11) << prefix;
  }
}

TEST(ToValidUtf8LossyTest, ValidTextUnchanged) {
  EXPECT_EQ(ToValidUtf8Lossy(""), "");
  EXPECT_EQ(ToValidUtf8Lossy("h\xC3\xA9llo \xF0\x9F\x98\x80"), "h\xC3\xA9llo \xF0\x9F\x98\x80");
}

TEST(ToValidUtf8LossyTest, TruncatedSequenceIsOneReplacement) {
  EXPECT_EQ(ToValidUtf8Lossy("Hello \xF0\x90\x80World"), "Hello " + kFffd + "World");
  EXPECT_EQ(ToValidUtf8Lossy("\xF0\x9F\x98" "A"), kFffd + "A");
  EXPECT_EQ(ToValidUtf8Lossy("end \xE2\x82"), "end " + kFffd);
  EXPECT_EQ(ToValidUtf8Lossy("\xC3"), kFffd);
}

TEST(ToValidUtf8LossyTest, EachByteOfImpossibleSequencesIsReplaced) {
  // A surrogate, overlongs and values above U+10FFFF fail at their second
  // byte, so every byte is a maximal subpart of its own.
  EXPECT_EQ(ToValidUtf8Lossy("\xED\xA0\x80"), kFffd + kFffd + kFffd);
  EXPECT_EQ(ToValidUtf8Lossy("\xC0\xAF"), kFffd + kFffd);
  EXPECT_EQ(ToValidUtf8Lossy("\xE0\x80\xAF"), kFffd + kFffd + kFffd);
  EXPECT_EQ(ToValidUtf8Lossy("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);
  EXPECT_EQ(ToValidUtf8Lossy("\xFE\xFF"), kFffd + kFffd);
}

TEST(ToValidUtf8LossyTest, UnicodeMaximalSubpartExample) {
  // The example of the Unicode Standard, chapter 3 ("U+FFFD Substitution of
  // Maximal Subparts").
  EXPECT_EQ(ToValidUtf8Lossy("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            "a" + kFffd + kFffd + kFffd + "b" + kFffd + "c" + kFffd + kFffd + "d");
}

}  // namespace
}  // namespace tokgraft
