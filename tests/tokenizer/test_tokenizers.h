// Tokenizers for tests: the ones committed with the repository, which always
// load, and the published ones in the shared data ($TOKGRAFT_DATA), which
// tests skip, saying so, when absent.
#ifndef TOKGRAFT_TESTS_TOKENIZER_TEST_TOKENIZERS_H_
#define TOKGRAFT_TESTS_TOKENIZER_TEST_TOKENIZERS_H_

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::testing {

// `relative` to the source tree, e.g. "data/demo-tokenizer.json"; null (with a
// test failure) if it does not load.
inline std::unique_ptr<Tokenizer> LoadCommitted(const std::string& relative) {
  auto tok = LoadTokenizer(std::string(TOKGRAFT_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(tok.ok()) << tok.status();
  return tok.ok() ? *std::move(tok) : nullptr;
}

inline std::string SharedDataDir() {
  if (const char* dir = std::getenv("TOKGRAFT_DATA")) return dir;
  if (const char* home = std::getenv("HOME")) return std::string(home) + "/.cache/tokgraft-data";
  return "";
}

// `relative` to the shared data, e.g. "tokenizers/llama3.json"; null if the
// file is missing (the caller skips).
inline std::unique_ptr<Tokenizer> LoadShared(const std::string& relative) {
  const std::string path = SharedDataDir() + "/" + relative;
  if (!std::ifstream(path).good()) return nullptr;
  auto tok = LoadTokenizer(path);
  EXPECT_TRUE(tok.ok()) << tok.status();
  return tok.ok() ? *std::move(tok) : nullptr;
}

inline std::string ReadCommitted(const std::string& relative) {
  std::ifstream in(std::string(TOKGRAFT_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

}  // namespace tokgraft::testing

#endif  // TOKGRAFT_TESTS_TOKENIZER_TEST_TOKENIZERS_H_
