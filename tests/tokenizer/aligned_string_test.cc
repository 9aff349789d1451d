#include "aligned_string.h"

#include <utility>

#include "gtest/gtest.h"

namespace tokgraft {
namespace {

TEST(AlignedStringTest, IdentityMapsEachByteToItsCharacter) {
  // a (1 byte), é (2), 日 (3), 😀 (4), starting at original offset 10.
  AlignedString s("a\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80", 10, true);
  ASSERT_TRUE(s.tracked());
  EXPECT_EQ(s.Origin(0), (ByteSpan{10, 11}));
  EXPECT_EQ(s.Origin(1), (ByteSpan{11, 13}));
  EXPECT_EQ(s.Origin(2), (ByteSpan{11, 13}));
  EXPECT_EQ(s.Origin(4), (ByteSpan{13, 16}));
  EXPECT_EQ(s.Origin(9), (ByteSpan{16, 20}));
  EXPECT_EQ(s.OriginOf(2, 5), (ByteSpan{11, 16}));
  EXPECT_EQ(s.OriginOf(0, s.size()), (ByteSpan{10, 20}));
  EXPECT_EQ(s.base(), 10u);
}

TEST(AlignedStringTest, UntrackedBuilderOnlyBuildsText) {
  AlignedString s("hello", 0, false);
  AlignedStringBuilder b(s);
  b.Copy(1, 3);
  b.AppendReplacing("X", 3);
  b.AppendInserted("YZ", 4);
  b.Insert("!", ByteSpan{0, 5});
  AlignedString out = std::move(b).Finish();
  EXPECT_EQ(out.text(), "elXYZ!");
  EXPECT_FALSE(out.tracked());
}

TEST(AlignedStringTest, CopyKeepsOriginsWherever) {
  AlignedString s("ab\xC3\xA9" "cd", 0, true);  // "abécd"
  AlignedStringBuilder b(s);
  b.Copy(2, 5);  // "éc" moved to the front
  b.Copy(0, 1);  // then "a"
  AlignedString out = std::move(b).Finish();
  EXPECT_EQ(out.text(), "\xC3\xA9" "ca");
  EXPECT_EQ(out.Origin(0), (ByteSpan{2, 4}));
  EXPECT_EQ(out.Origin(1), (ByteSpan{2, 4}));
  EXPECT_EQ(out.Origin(2), (ByteSpan{4, 5}));
  EXPECT_EQ(out.Origin(3), (ByteSpan{0, 1}));
}

TEST(AlignedStringTest, ReplacingMapsToTheReplacedCharacter) {
  AlignedString s("a\xC3\xA9z", 100, true);  // "aéz"
  AlignedStringBuilder b(s);
  b.AppendReplacing("A", 0);                  // same length: stays the identity
  b.AppendReplacing("\xE2\x96\x81" "x", 1);   // "▁x" for é
  b.Copy(3, 4);
  AlignedString out = std::move(b).Finish();
  EXPECT_EQ(out.text(), "A\xE2\x96\x81xz");
  EXPECT_EQ(out.Origin(0), (ByteSpan{100, 101}));
  for (size_t i = 1; i <= 4; ++i) EXPECT_EQ(out.Origin(i), (ByteSpan{101, 103})) << i;
  EXPECT_EQ(out.Origin(5), (ByteSpan{103, 104}));
}

TEST(AlignedStringTest, InsertedTextMapsToThePreviousByteOrToBase) {
  AlignedString s("ab", 7, true);
  AlignedStringBuilder b(s);
  b.AppendInserted("<", 0);
  b.Copy(0, 1);
  b.AppendInserted("-", 1);
  b.Copy(1, 2);
  b.Insert(">", ByteSpan{1, 2});
  AlignedString out = std::move(b).Finish();
  EXPECT_EQ(out.text(), "<a-b>");
  EXPECT_EQ(out.Origin(0), (ByteSpan{7, 7}));
  EXPECT_EQ(out.Origin(1), (ByteSpan{7, 8}));
  EXPECT_EQ(out.Origin(2), (ByteSpan{7, 8}));
  EXPECT_EQ(out.Origin(3), (ByteSpan{8, 9}));
  EXPECT_EQ(out.Origin(4), (ByteSpan{1, 2}));
  EXPECT_EQ(out.base(), 7u);
}

TEST(AlignedStringTest, ChainedRewritesComposeOrigins) {
  AlignedString s("x y", 0, true);
  AlignedStringBuilder first(s);
  first.Copy(0, 1);
  first.AppendReplacing("__", 1);  // the space becomes two bytes
  first.Copy(2, 3);
  AlignedString middle = std::move(first).Finish();
  ASSERT_EQ(middle.text(), "x__y");

  AlignedStringBuilder second(middle);
  second.Copy(2, 4);  // "_y"
  AlignedString out = std::move(second).Finish();
  EXPECT_EQ(out.text(), "_y");
  EXPECT_EQ(out.Origin(0), (ByteSpan{1, 2}));
  EXPECT_EQ(out.Origin(1), (ByteSpan{2, 3}));
}

TEST(AlignedStringTest, EmptyResultKeepsBase) {
  AlignedString s("  ", 42, true);
  AlignedStringBuilder b(s);
  AlignedString out = std::move(b).Finish();
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(out.tracked());
  EXPECT_EQ(out.base(), 42u);
}

}  // namespace
}  // namespace tokgraft
