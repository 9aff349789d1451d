// Helpers for the stats tests: committed tokenizers, shared data, temp files.
#ifndef TOKGRAFT_TESTS_STATS_STATS_TEST_UTIL_H_
#define TOKGRAFT_TESTS_STATS_STATS_TEST_UTIL_H_

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tokenizer/test_tokenizers.h"

namespace tokgraft::testing {

// Writes `content` to a file in the test's temporary directory and returns
// its path.
inline std::string WriteTempFile(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "/" + std::to_string(getpid()) + "-" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace tokgraft::testing

#endif  // TOKGRAFT_TESTS_STATS_STATS_TEST_UTIL_H_
