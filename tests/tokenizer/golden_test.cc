// Compares tokgraft with golden outputs of the reference tokenizers, committed
// under tests/golden/ (see its README for how they are made). Goldens of the
// shipped demo tokenizer always run; those of the published tokenizers need
// the shared data ($TOKGRAFT_DATA) and are skipped, saying so, without it.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "simdjson.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {
namespace {

std::string DataDir() {
  if (const char* dir = std::getenv("TOKGRAFT_DATA")) return dir;
  if (const char* home = std::getenv("HOME")) return std::string(home) + "/.cache/tokgraft-data";
  return "";
}

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

struct Golden {
  std::string name;
  std::string golden;     // file under tests/golden
  std::string tokenizer;  // "data:..." or "repo:..."
  std::string pattern;    // --pattern for .tiktoken files
};

void ReadManifest(const std::string& relative_path, std::vector<Golden>* out) {
  simdjson::dom::parser parser;
  simdjson::dom::element manifest;
  const std::string path = std::string(TOKGRAFT_SOURCE_DIR) + "/" + relative_path;
  if (parser.load(path).get(manifest)) {
    ADD_FAILURE() << "cannot read " << path;
    return;
  }
  for (auto [name, entry] : manifest["goldens"].get_object()) {
    Golden g;
    g.name = std::string(name);
    g.golden = std::string(entry["golden"].get_string().value());
    g.tokenizer = std::string(entry["tokenizer"].get_string().value());
    simdjson::dom::array args = entry["tokgraft_encode_args"].get_array();
    if (args.size() == 2) g.pattern = std::string(args.at(1).get_string().value());
    out->push_back(std::move(g));
  }
}

// The published tokenizers (tests/golden/MANIFEST.json) and small ones that
// exercise the options those leave unused (tests/golden/features/).
std::vector<Golden> AllGoldens() {
  std::vector<Golden> out;
  ReadManifest("tests/golden/MANIFEST.json", &out);
  ReadManifest("tests/golden/features/MANIFEST.json", &out);
  return out;
}

std::string ResolvePath(const std::string& ref) {
  if (ref.rfind("data:", 0) == 0) return DataDir() + "/" + ref.substr(5);
  return std::string(TOKGRAFT_SOURCE_DIR) + "/" + ref.substr(5);
}

std::vector<uint32_t> IdsOf(simdjson::dom::element array) {
  std::vector<uint32_t> ids;
  for (simdjson::dom::element e : array.get_array()) ids.push_back(static_cast<uint32_t>(e.get_uint64().value()));
  return ids;
}

// Names the golden in failure messages instead of dumping its bytes.
void PrintTo(const Golden& g, std::ostream* os) { *os << g.name; }

class GoldenTest : public testing::TestWithParam<Golden> {};

TEST_P(GoldenTest, MatchesReference) {
  const Golden& g = GetParam();
  const std::string path = ResolvePath(g.tokenizer);
  if (!Exists(path)) {
    GTEST_SKIP() << path << " is missing: run ../shared/data/fetch (or set TOKGRAFT_DATA) to check "
                 << g.name << " against its golden file";
  }
  LoadOptions load;
  load.tiktoken_pattern = g.pattern;
  auto tok = LoadTokenizer(path, load);
  ASSERT_TRUE(tok.ok()) << tok.status();

  simdjson::dom::parser parser;
  std::ifstream in(std::string(TOKGRAFT_SOURCE_DIR) + "/tests/golden/" + g.golden);
  ASSERT_TRUE(in.good()) << g.golden;
  std::string line;
  size_t line_number = 0, mismatches = 0;
  while (std::getline(in, line) && mismatches < 5) {
    ++line_number;
    simdjson::dom::element record = parser.parse(line);
    const std::string_view text = record["text"].get_string().value();
    const std::string where = g.golden + ":" + std::to_string(line_number);
    EncodeOptions options;
    options.with_offsets = record["offsets"].error() == simdjson::SUCCESS;
    auto enc = (*tok)->Encode(text, options);
    ASSERT_TRUE(enc.ok()) << where << ": " << enc.status();
    const std::vector<uint32_t> expected = IdsOf(record["ids"]);
    if (enc->ids != expected) {
      ++mismatches;
      ADD_FAILURE() << where << ": ids differ";
      continue;
    }
    if (options.with_offsets) {
      size_t i = 0;
      for (simdjson::dom::element pair : record["offsets"].get_array()) {
        const ByteSpan want{static_cast<uint32_t>(pair.at(0).get_uint64().value()),
                            static_cast<uint32_t>(pair.at(1).get_uint64().value())};
        if (!(enc->offsets[i] == want)) {
          ++mismatches;
          ADD_FAILURE() << where << ": offset of token " << i << " is [" << enc->offsets[i].begin << ","
                        << enc->offsets[i].end << "), reference [" << want.begin << "," << want.end << ")";
          break;
        }
        ++i;
      }
    }
    if (record["ids_special"].error() == simdjson::SUCCESS) {
      EncodeOptions special;
      special.add_special_tokens = true;
      auto with_special = (*tok)->Encode(text, special);
      ASSERT_TRUE(with_special.ok());
      EXPECT_EQ(with_special->ids, IdsOf(record["ids_special"])) << where << ": ids with special tokens";
    }
    auto decoded = (*tok)->Decode(expected);
    ASSERT_TRUE(decoded.ok()) << where << ": " << decoded.status();
    EXPECT_EQ(ToValidUtf8Lossy(*decoded), record["decoded"].get_string().value()) << where << ": decode";
  }
}

INSTANTIATE_TEST_SUITE_P(Goldens, GoldenTest, testing::ValuesIn(AllGoldens()),
                         [](const testing::TestParamInfo<Golden>& info) {
                           std::string name = info.param.name;
                           for (char& c : name) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace tokgraft
