// Tokenizer statistics (`tokgraft stats`): how several tokenizers compress
// and segment a corpus of categories (languages, programming languages), what
// their vocabularies hold, and how much they share; rendered as JSON and as a
// self-contained HTML report.
#ifndef TOKGRAFT_STATS_H_
#define TOKGRAFT_STATS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::stats {

// The order of Rényi entropy used for efficiency (Zouhar et al. 2023).
inline constexpr double kRenyiAlpha = 2.5;
// Token length histograms count tokens of 1, 2, ... kTokenLengthBuckets - 1
// bytes; the last bucket holds every longer token.
inline constexpr int kTokenLengthBuckets = 17;

struct NamedTokenizer {
  std::string name;  // label in the report, e.g. "llama3"
  std::string path;
  const Tokenizer* tokenizer = nullptr;
  double load_seconds = 0;
};

// One category of text: documents separated by a line holding only U+001E.
struct CorpusFile {
  std::string category;  // e.g. "en", "python"
  std::string path;
};

struct StatsOptions {
  int threads = 2;
  // Where Hunspell dictionaries (LANG.aff + LANG.dic) are looked up.
  std::string hunspell_dir = "/usr/share/hunspell";
  // Documents are read and encoded in batches of about this many bytes, so
  // memory does not grow with the corpus.
  size_t batch_bytes = 1 << 20;
};

// "%TR"-style word validity of the distinct alphabetic tokens (their text,
// without one leading space, made only of letters and marks) that a tokenizer
// used on a category, checked against that language's Hunspell dictionary.
struct WordValidity {
  std::string dictionary;              // e.g. "en_US"
  uint64_t alphabetic_tokens = 0;      // distinct alphabetic tokens used
  uint64_t valid_tokens = 0;           // ... that are dictionary words
  uint64_t word_initial_tokens = 0;    // distinct alphabetic tokens that began a word
  uint64_t word_initial_valid = 0;     // ... that are dictionary words
};

// What a tokenizer made of a category's text (or of the whole corpus).
struct TextMetrics {
  uint64_t documents = 0;
  uint64_t bytes = 0;
  uint64_t characters = 0;  // Unicode code points
  uint64_t tokens = 0;
  uint64_t words = 0;        // ICU word segments with a rule status other than "none"
  uint64_t split_words = 0;  // words overlapped by two or more tokens
  uint64_t distinct_tokens = 0;
  double shannon_efficiency = 0;  // H(p) / log |V|
  double renyi_efficiency = 0;    // H_2.5(p) / log |V|
  // token_length_histogram[i]: tokens of i + 1 bytes (last bucket: longer).
  std::vector<uint64_t> token_length_histogram;
  std::optional<WordValidity> word_validity;  // null without a dictionary
};

// How runs of digits become tokens.
struct NumberHandling {
  // From the vocabulary: "single digits" if no token holds two or more ASCII
  // digits, "groups of 1-3" if none holds more than three, else "free".
  std::string vocabulary_grouping;
  size_t longest_digit_token = 0;  // digits in the longest all-digit token
  size_t digit_tokens = 0;         // tokens made only of ASCII digits
  // From encoding kNumberProbe: the bytes of its tokens that hold digits.
  std::vector<std::string> probe_pieces;
  // "single digits", "groups of 3 from the left", "groups of 3 from the
  // right", "groups of 1-3" or "free", from the probe's digit pieces.
  std::string observed_grouping;
  bool consistent = false;  // the vocabulary's grouping is what was observed
};

inline constexpr char kNumberProbe[] = "1234567 and 3.14159 in 2024, 12345678901234567890";

struct TokenExample {
  uint32_t id = 0;
  std::string token;  // as written in the tokenizer file
  std::string bytes;  // canonical bytes (may be invalid UTF-8)
};

struct TokenizerFacts {
  std::string format;
  std::string model_type;
  size_t vocab_size = 0;      // max id + 1
  size_t regular_tokens = 0;  // ids with bytes, not added/special
  size_t byte_fallback_tokens = 0;
  std::vector<int> missing_bytes;  // bytes with no single-byte token or fallback
  size_t special_tokens = 0;
  size_t added_tokens = 0;  // added, not special
  std::vector<SpecialTokenInfo> added_token_examples;  // the first few
  // Unreachable tokens: encoding a token's own text does not give that token.
  // Checked are regular tokens whose bytes are valid UTF-8, except byte
  // fallbacks and, for tokenizers that prepend a space (sentencepiece's
  // "▁"), tokens that do not start with one (they cannot stand alone).
  size_t reachability_checked = 0;
  size_t unreachable = 0;
  std::vector<TokenExample> unreachable_examples;
  std::vector<TokenExample> longest_tokens;
  NumberHandling numbers;
};

struct TokenizerStats {
  std::string name;
  std::string path;
  double load_seconds = 0;
  TokenizerFacts facts;
  std::vector<TextMetrics> categories;  // in StatsReport::categories order
  TextMetrics overall;
  double encode_seconds = 0;  // wall clock of the corpus encodes, with offsets
};

struct StatsReport {
  std::vector<std::string> categories;
  std::vector<TokenizerStats> tokenizers;
  // shared_tokens[i][j]: regular tokens of i and j with the same canonical
  // bytes (GPT-2 byte alphabet decoded, "▁" as a space, <0xNN> as its byte).
  std::vector<std::vector<uint64_t>> shared_tokens;
  int threads = 0;
  double seconds = 0;  // ComputeStats' wall clock
};

// Reads every corpus file in batches, encodes each batch with every tokenizer
// and gathers the numbers above. Fails (naming the file) on unreadable or
// empty files and invalid UTF-8.
absl::StatusOr<StatsReport> ComputeStats(const std::vector<NamedTokenizer>& tokenizers,
                                         const std::vector<CorpusFile>& corpus, const StatsOptions& options);

// Checks a corpus file without keeping it: readable, valid UTF-8, at least
// one document. Lets a caller refuse bad input before any slow work.
absl::Status ValidateCorpusFile(const std::string& path);

// Derived ratios; NaN when the denominator is zero.
double BytesPerToken(const TextMetrics& m);
double CharactersPerToken(const TextMetrics& m);
double TokensPerWord(const TextMetrics& m);
double SplitWordShare(const TextMetrics& m);
double VocabularyUtilisation(const TextMetrics& m, size_t vocab_size);
double EncodeMegabytesPerSecond(const TokenizerStats& t);

// One JSON document with every number (schema: README, "tokgraft stats").
std::string StatsToJson(const StatsReport& report);
// A self-contained HTML page: inline SVG charts and tables, no network.
std::string StatsToHtml(const StatsReport& report);

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_H_
