// Training BPE vocabularies: count the words of a corpus, then learn merges.
//
// Counting and merging are separate steps so that counting can scale out:
// WordCounts from any number of shards add up associatively (a file format is
// provided for that), and training from the sum gives exactly the merges that
// training on the concatenated text gives.
//
// With the default settings the merges are exactly those of Hugging Face's
// BpeTrainer (tokenizers 0.23) on the same files; see BpeTrainerOptions.
#ifndef TOKGRAFT_TRAINER_H_
#define TOKGRAFT_TRAINER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace tokgraft {

// How training text is cut into words: one of the names below, or a regex
// (tokenizer.json's Oniguruma dialect) whose matches are the words.
//   digits-bytelevel  Digits + ByteLevel (GPT-2 split): HF's trainer setup (default)
//   bytelevel, gpt2   ByteLevel with the GPT-2 split
//   cl100k, llama3    the cl100k / Llama 3 split, then byte-level
//   o200k             the o200k split, then byte-level
//   qwen2             the Qwen2 split (single digits), then byte-level
//   metaspace         sentencepiece style: spaces become U+2581 and start words;
//                     characters, not bytes, are the alphabet (byte fallback on)
//   none              no split at all: a whole line is one word (byte-level)
class WordSplitter;

struct WordSplitterInfo {
  std::string name;                 // as given
  std::string pre_tokenizer_json;   // the tokenizer.json "pre_tokenizer" object
  bool byte_level = true;           // the alphabet is the 256 bytes
};

absl::StatusOr<std::shared_ptr<const WordSplitter>> MakeWordSplitter(std::string_view name_or_regex);
const WordSplitterInfo& SplitterInfo(const WordSplitter& splitter);

// Word -> number of occurrences. A word is the raw bytes of one pre-token
// (for byte-level splitters) or its text after the pre-tokenizer's rewriting
// (metaspace).
class WordCounts {
 public:
  explicit WordCounts(std::shared_ptr<const WordSplitter> splitter);

  // Every line (with its '\n') is split on its own, as HF's train_from_files
  // reads files. Fails on invalid UTF-8, naming the byte offset.
  absl::Status AddText(std::string_view text);
  void AddWord(std::string_view word, uint64_t count);
  // Associative and commutative: any grouping of shards gives the same sum.
  absl::Status Add(const WordCounts& other);

  const WordSplitter& splitter() const { return *splitter_; }
  std::shared_ptr<const WordSplitter> shared_splitter() const { return splitter_; }
  const absl::flat_hash_map<std::string, uint64_t>& words() const { return words_; }
  uint64_t total() const { return total_; }

  // The count file: a header naming the splitter, then "count<TAB>word" lines
  // sorted by word (\\, \t, \n, \r escaped). Files may be concatenated: extra
  // identical headers and repeated words are summed on reading.
  absl::Status Save(const std::string& path) const;
  absl::Status Read(const std::string& path);

 private:
  std::shared_ptr<const WordSplitter> splitter_;
  absl::flat_hash_map<std::string, uint64_t> words_;
  uint64_t total_ = 0;
};

// Counts files (or "-" for stdin) on `threads` threads, reading in blocks so
// that memory follows the number of distinct words, not the corpus size.
// `on_bytes` (optional) is called with the bytes read so far.
absl::StatusOr<WordCounts> CountFiles(std::shared_ptr<const WordSplitter> splitter,
                                      const std::vector<std::string>& files, int threads,
                                      const std::function<void(uint64_t)>& on_bytes = nullptr);

// Reads and sums count files (from WordCounts::Save, `tokgraft count`).
absl::StatusOr<WordCounts> ReadCountFiles(std::shared_ptr<const WordSplitter> splitter,
                                          const std::vector<std::string>& files);

struct BpeTrainerOptions {
  size_t vocab_size = 30000;  // special tokens and alphabet included
  // A pair is merged only while it occurs at least this often (HF semantics:
  // 0 and 1 both mean "while it occurs at all").
  uint64_t min_frequency = 0;
  // Added first, with ids 0..k-1, as special tokens.
  std::vector<std::string> special_tokens;
  // Longest token in alphabet units (bytes or characters); 0: no limit.
  // Note: HF's max_token_length stops one short of its value; this is inclusive.
  size_t max_token_length = 0;
  // At most this many words (runs of non-space bytes) in a token; 0: no limit.
  // Used for supertokens, which may span words.
  size_t max_words_per_token = 0;
  // Never form a token holding ": " (a colon then a space), as SuperBPE does.
  bool forbid_colon_space = false;
  // Characters always in the alphabet even if unseen (metaspace splitters;
  // byte-level splitters always have all 256 bytes).
  std::string initial_alphabet;
  // Merges to start from, in order (e.g. a previous run to resume); each
  // pair's parts must exist when it is applied.
  std::vector<std::pair<std::string, std::string>> initial_merges;
  // Called after every merge with (merges done, merges wanted at most).
  std::function<void(size_t, size_t)> on_merge;
};

// A learned vocabulary in tokenizer.json's terms: tokens are written as the
// model stores them (byte-level: GPT-2 characters; metaspace: text with U+2581).
struct TrainedBpe {
  std::vector<std::string> special_tokens;
  std::vector<std::string> vocab;  // id -> token; specials first
  std::vector<std::pair<std::string, std::string>> merges;
  WordSplitterInfo splitter;

  // A complete tokenizer.json that tokgraft and HF tokenizers load.
  std::string ToTokenizerJson() const;
};

// Learns merges greedily, most frequent pair first. Ties (equal counts) go to
// the pair whose ids are smaller, comparing the left id, then the right;
// alphabet ids follow code point order and merged tokens take ids in creation
// order, so the result is deterministic and independent of input order.
absl::StatusOr<TrainedBpe> TrainBpe(const WordCounts& counts, const BpeTrainerOptions& options);

// Supertokens: tokens that may span several words.
struct SupertokenOptions {
  enum class Method {
    // SuperBPE's curriculum: ordinary BPE up to `transition`, then training
    // continues from those merges on text split only around numbers.
    kSuperBpe,
    // TokenAdapt-style: one stage on chunks of several consecutive pre-tokens,
    // the chunk lengths drawn at random.
    kTokenAdapt,
  };
  Method method = Method::kSuperBpe;
  // SuperBPE: the vocabulary size where stage 1 ends; 0 means 90% of the
  // vocabulary size (the SuperBPE paper's best setting).
  size_t transition = 0;
  size_t max_words_per_token = 4;
  // TokenAdapt: relative weights of chunks of 1, 2, 3, ... pre-tokens.
  std::vector<double> chunk_weights = {0.4, 0.3, 0.2, 0.1};
  // TokenAdapt: seeds the chunk draws (each line's draws also depend on its
  // text, so the result does not depend on the number of threads).
  uint64_t seed = 0;
};

// Trains supertokens on `files`. `pre_tokenizer` is the ordinary split
// (SuperBPE's stage 1, TokenAdapt's pre-tokens) and must be byte-level and
// one of the named ones: numbers stay grouped as it groups them, and the
// written tokenizer splits only around numbers.
absl::StatusOr<TrainedBpe> TrainSupertokens(const std::vector<std::string>& files, std::string_view pre_tokenizer,
                                            int threads, const BpeTrainerOptions& options,
                                            const SupertokenOptions& supertokens,
                                            const std::function<void(uint64_t)>& on_bytes = nullptr);

// Reads the merge list of a BPE tokenizer.json (written by
// TrainedBpe::ToTokenizerJson or by HF), to resume training from it.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReadMergesFromTokenizerJson(
    const std::string& path);

}  // namespace tokgraft

#endif  // TOKGRAFT_TRAINER_H_
