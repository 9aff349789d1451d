#include "document_reader.h"

#include "gtest/gtest.h"
#include "stats/stats_test_util.h"
#include "tokgraft/stats.h"

namespace tokgraft::stats {
namespace {

TEST(DocumentReaderTest, SplitsDocumentsAtSeparatorLinesInBatches) {
  const std::string path = testing::WriteTempFile("docs.txt", "one\ntwo\n\x1e\nthree\n\x1e\n\x1e\nfour");
  absl::StatusOr<DocumentReader> reader = DocumentReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<std::string> docs;
  // A batch ends after the document that reaches max_bytes.
  ASSERT_TRUE(*reader->NextBatch(1, &docs));
  EXPECT_EQ(docs, std::vector<std::string>({"one\ntwo\n"}));
  ASSERT_TRUE(*reader->NextBatch(1000, &docs));
  EXPECT_EQ(docs, std::vector<std::string>({"three\n", "four"}));
  EXPECT_FALSE(*reader->NextBatch(1000, &docs));
  EXPECT_TRUE(docs.empty());
}

TEST(DocumentReaderTest, NamesTheFileAndByteOfInvalidUtf8) {
  const std::string path = testing::WriteTempFile("bad.txt", "fine\n\x1e\nok \xff here\n");
  absl::StatusOr<DocumentReader> reader = DocumentReader::Open(path);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> docs;
  absl::StatusOr<bool> more = reader->NextBatch(1 << 20, &docs);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().message(), path + ": invalid UTF-8 at byte 10");
}

TEST(DocumentReaderTest, EmptyAndMissingFiles) {
  absl::StatusOr<DocumentReader> empty = DocumentReader::Open(testing::WriteTempFile("empty.txt", "\x1e\n"));
  ASSERT_TRUE(empty.ok());
  std::vector<std::string> docs;
  EXPECT_FALSE(*empty->NextBatch(100, &docs));
  EXPECT_FALSE(ValidateCorpusFile(testing::WriteTempFile("empty2.txt", "")).ok());
  EXPECT_TRUE(absl::IsNotFound(DocumentReader::Open("/nonexistent/x.txt").status()));
}

}  // namespace
}  // namespace tokgraft::stats
