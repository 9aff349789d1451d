// Expectations follow the reference's decode_chain (HF tokenizers 0.23,
// checked with its oracle where they are not obvious).
#include "decoders/decoders.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace tokgraft {
namespace {

using Tokens = std::vector<std::string>;

const std::string kMeta = "\xE2\x96\x81";  // ▁
const std::string kFffd = "\xEF\xBF\xBD";

Tokens Decode(const Decoder& decoder, Tokens tokens) {
  decoder.DecodeChain(&tokens);
  return tokens;
}

std::unique_ptr<Decoder> Replace(std::string pattern, bool is_regex, std::string content) {
  absl::StatusOr<std::unique_ptr<Decoder>> d =
      MakeReplaceDecoder(std::move(pattern), is_regex, std::move(content));
  EXPECT_TRUE(d.ok()) << d.status();
  return *std::move(d);
}

TEST(ByteLevelDecoderTest, MapsCharactersToBytesAndFuses) {
  auto decoder = MakeByteLevelDecoder();
  EXPECT_EQ(Decode(*decoder, {"Hello", "\xC4\xA0world", "\xC4\x8A"}), Tokens{"Hello world\n"});
  // "Ã©" is the bytes of é.
  EXPECT_EQ(Decode(*decoder, {"\xC3\x83\xC2\xA9"}), Tokens{"\xC3\xA9"});
  EXPECT_EQ(Decode(*decoder, {}), Tokens{""});
}

TEST(ByteLevelDecoderTest, KeepsRawBytesOfSplitCharacters) {
  auto decoder = MakeByteLevelDecoder();
  // "ðŁĺ" is F0 9F 98, the first three bytes of 😀; "Ģ" is 80.
  EXPECT_EQ(Decode(*decoder, {"\xC3\xB0\xC5\x81\xC4\xBA"}), Tokens{"\xF0\x9F\x98"});
  EXPECT_EQ(Decode(*decoder, {"\xC3\xB0\xC5\x81\xC4\xBA", "\xC4\xA2"}), Tokens{"\xF0\x9F\x98\x80"});
}

TEST(ByteLevelDecoderTest, TokenWithForeignCharacterPassesWhole) {
  auto decoder = MakeByteLevelDecoder();
  // "Ġ日": 日 is outside the alphabet, so Ġ is not mapped either.
  EXPECT_EQ(Decode(*decoder, {"\xC4\xA0\xE6\x97\xA5", "\xC4\xA0x"}),
            Tokens{"\xC4\xA0\xE6\x97\xA5 x"});
}

TEST(ByteFallbackDecoderTest, ValidRunBecomesOneToken) {
  auto decoder = MakeByteFallbackDecoder();
  EXPECT_EQ(Decode(*decoder, {"a", "<0xE2>", "<0x96>", "<0x81>", "b", "<0x0A>"}),
            (Tokens{"a", kMeta, "b", "\n"}));
}

TEST(ByteFallbackDecoderTest, InvalidRunBecomesOneReplacementPerByte) {
  auto decoder = MakeByteFallbackDecoder();
  EXPECT_EQ(Decode(*decoder, {"<0xE2>", "<0x96>", "x", "<0xFF>"}),
            (Tokens{kFffd, kFffd, "x", kFffd}));
}

TEST(ByteFallbackDecoderTest, ByteTokenSyntax) {
  auto decoder = MakeByteFallbackDecoder();
  // Lowercase hex counts, and so does Rust's from_str_radix's "+" sign.
  EXPECT_EQ(Decode(*decoder, {"<0x0a>", "<0x+A>"}), Tokens{"\n\n"});
  EXPECT_EQ(Decode(*decoder, {"<0xzz>", "<0x1>", "<0x100>", "<0X41>"}),
            (Tokens{"<0xzz>", "<0x1>", "<0x100>", "<0X41>"}));
}

TEST(FuseDecoderTest, JoinsEverything) {
  EXPECT_EQ(Decode(*MakeFuseDecoder(), {"a", "", "bc"}), Tokens{"abc"});
  EXPECT_EQ(Decode(*MakeFuseDecoder(), {}), Tokens{""});
}

TEST(StripDecoderTest, StripsUpToCounts) {
  auto strip = MakeStripDecoder(" ", 1, 0);
  EXPECT_EQ(Decode(*strip, {"  a ", "b"}), (Tokens{" a ", "b"}));
  auto both = MakeStripDecoder(kMeta, 2, 1);
  EXPECT_EQ(Decode(*both, {kMeta + kMeta + kMeta + "x" + kMeta + kMeta, "y"}),
            (Tokens{kMeta + "x" + kMeta, "y"}));
  // Both ends are counted on the whole token and may cross: nothing is left
  // (the reference panics).
  EXPECT_EQ(Decode(*both, {kMeta}), Tokens{""});
}

TEST(ReplaceDecoderTest, ReplacesInEachToken) {
  auto replace = Replace(kMeta, false, " ");
  EXPECT_EQ(Decode(*replace, {kMeta + "Hello", "wor" + kMeta + "ld", "x"}),
            (Tokens{" Hello", "wor ld", "x"}));
  auto regex = Replace("a+", true, "<a>");
  EXPECT_EQ(Decode(*regex, {"baaab", "aa"}), (Tokens{"b<a>b", "<a>"}));
  // Invalid UTF-8 (left by ByteLevel) is kept; the regex matches around it.
  EXPECT_EQ(Decode(*regex, {"a\xFF" "aa\xC3"}), (Tokens{"<a>\xFF<a>\xC3"}));
}

TEST(MetaspaceDecoderTest, FirstTokenLosesAllReplacementCharacters) {
  auto decoder = MakeMetaspaceDecoder(kMeta, PrependScheme::kAlways, true);
  EXPECT_EQ(Decode(*decoder, {kMeta + kMeta + "Hi" + kMeta, kMeta + "there", "a" + kMeta + "b"}),
            (Tokens{"Hi", " there", "a b"}));
  auto first = MakeMetaspaceDecoder(kMeta, PrependScheme::kFirst, false);
  EXPECT_EQ(Decode(*first, {kMeta + "Hi", kMeta + "x"}), (Tokens{"Hi", " x"}));
}

TEST(MetaspaceDecoderTest, NeverKeepsTheLeadingSpace) {
  auto decoder = MakeMetaspaceDecoder(kMeta, PrependScheme::kNever, true);
  EXPECT_EQ(Decode(*decoder, {kMeta + "Hi", kMeta + "x"}), (Tokens{" Hi", " x"}));
}

TEST(SequenceDecoderTest, Llama2Chain) {
  std::vector<std::unique_ptr<Decoder>> steps;
  steps.push_back(Replace(kMeta, false, " "));
  steps.push_back(MakeByteFallbackDecoder());
  steps.push_back(MakeFuseDecoder());
  steps.push_back(MakeStripDecoder(" ", 1, 0));
  auto decoder = MakeSequenceDecoder(std::move(steps));
  EXPECT_EQ(Decode(*decoder, {kMeta + "Hello", "<0xE2>", "<0x96>", "<0x81>", kMeta + "world"}),
            Tokens{"Hello" + kMeta + " world"});
}

TEST(DecoderDescribeTest, OneLineEach) {
  EXPECT_EQ(MakeByteLevelDecoder()->Describe(), "ByteLevel");
  EXPECT_EQ(MakeByteFallbackDecoder()->Describe(), "ByteFallback");
  EXPECT_EQ(MakeFuseDecoder()->Describe(), "Fuse");
  EXPECT_EQ(MakeStripDecoder(" ", 1, 0)->Describe(), "Strip(\" \", start=1, stop=0)");
  EXPECT_EQ(Replace(kMeta, false, " ")->Describe(), "Replace(\"" + kMeta + "\" -> \" \")");
  EXPECT_EQ(MakeMetaspaceDecoder(kMeta, PrependScheme::kFirst, true)->Describe(),
            "Metaspace(\"" + kMeta + "\", prepend_scheme=first, split=true)");
  std::vector<std::unique_ptr<Decoder>> steps;
  steps.push_back(MakeByteFallbackDecoder());
  steps.push_back(MakeFuseDecoder());
  EXPECT_EQ(MakeSequenceDecoder(std::move(steps))->Describe(), "Sequence[ByteFallback, Fuse]");
  EXPECT_FALSE(MakeReplaceDecoder("", false, "x").ok());
}

}  // namespace
}  // namespace tokgraft
