// ComputeStats: one pass over the corpus, batch by batch; each batch is
// segmented into words once and encoded by every tokenizer.
#include <chrono>
#include <memory>

#include "absl/strings/str_format.h"
#include "document_reader.h"
#include "shared_tokens.h"
#include "text_accumulator.h"
#include "token_table.h"
#include "tokenizer_facts.h"
#include "tokgraft/stats.h"
#include "word_dictionary.h"
#include "word_segmenter.h"

namespace tokgraft::stats {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The dictionary of a category's language, or null if it has none.
absl::StatusOr<std::unique_ptr<WordDictionary>> OpenDictionary(const std::string& category,
                                                               const StatsOptions& options) {
  const std::optional<std::string> name = DictionaryForCategory(category);
  if (!name) return nullptr;
  absl::StatusOr<std::unique_ptr<WordDictionary>> dictionary = WordDictionary::Open(options.hunspell_dir, *name);
  if (absl::IsNotFound(dictionary.status())) return nullptr;
  return dictionary;
}

// The documents of one batch with what every tokenizer needs of them.
struct Batch {
  std::vector<std::string> docs;
  std::vector<std::string_view> views;
  std::vector<uint64_t> characters;
  std::vector<std::vector<ByteSpan>> words;
};

}  // namespace

absl::Status ValidateCorpusFile(const std::string& path) {
  absl::StatusOr<DocumentReader> reader = DocumentReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::vector<std::string> docs;
  bool any = false;
  while (true) {
    absl::StatusOr<bool> more = reader->NextBatch(1 << 20, &docs);
    if (!more.ok()) return more.status();
    if (!*more) break;
    any = true;
  }
  if (!any) return absl::InvalidArgumentError(absl::StrFormat("%s: no text (empty corpus file)", path));
  return absl::OkStatus();
}

absl::StatusOr<StatsReport> ComputeStats(const std::vector<NamedTokenizer>& tokenizers,
                                         const std::vector<CorpusFile>& corpus, const StatsOptions& options) {
  const Clock::time_point start = Clock::now();
  if (tokenizers.empty()) return absl::InvalidArgumentError("no tokenizers");
  if (corpus.empty()) return absl::InvalidArgumentError("empty corpus: no files");
  StatsReport report;
  report.threads = options.threads;
  for (const CorpusFile& file : corpus) report.categories.push_back(file.category);

  std::vector<TokenTable> tables;
  std::vector<const TokenTable*> table_pointers;
  tables.reserve(tokenizers.size());
  for (const NamedTokenizer& named : tokenizers) {
    tables.push_back(BuildTokenTable(*named.tokenizer));
    table_pointers.push_back(&tables.back());
    TokenizerStats stats;
    stats.name = named.name;
    stats.path = named.path;
    stats.load_seconds = named.load_seconds;
    absl::StatusOr<TokenizerFacts> facts = ComputeTokenizerFacts(*named.tokenizer, tables.back(), options.threads);
    if (!facts.ok()) {
      return absl::Status(facts.status().code(), named.name + ": " + std::string(facts.status().message()));
    }
    stats.facts = *std::move(facts);
    report.tokenizers.push_back(std::move(stats));
  }
  report.shared_tokens = CountSharedTokens(table_pointers);

  absl::StatusOr<WordSegmenter> segmenter = WordSegmenter::Create();
  if (!segmenter.ok()) return segmenter.status();
  std::vector<TextAccumulator> overall;
  for (const TokenTable& table : tables) overall.emplace_back(&table);
  EncodeOptions encode_options;
  encode_options.with_offsets = true;

  for (const CorpusFile& file : corpus) {
    absl::StatusOr<std::unique_ptr<WordDictionary>> dictionary = OpenDictionary(file.category, options);
    if (!dictionary.ok()) return dictionary.status();
    std::vector<TextAccumulator> category;
    for (const TokenTable& table : tables) category.emplace_back(&table);
    absl::StatusOr<DocumentReader> reader = DocumentReader::Open(file.path);
    if (!reader.ok()) return reader.status();
    Batch batch;
    uint64_t documents = 0;
    while (true) {
      absl::StatusOr<bool> more = reader->NextBatch(options.batch_bytes, &batch.docs);
      if (!more.ok()) return more.status();
      if (!*more) break;
      documents += batch.docs.size();
      const size_t n = batch.docs.size();
      batch.views.assign(batch.docs.begin(), batch.docs.end());
      batch.characters.resize(n);
      batch.words.resize(n);
      for (size_t d = 0; d < n; ++d) {
        batch.characters[d] = CountCharacters(batch.docs[d]);
        if (absl::Status s = segmenter->Segment(batch.docs[d], &batch.words[d]); !s.ok()) return s;
      }
      for (size_t t = 0; t < tokenizers.size(); ++t) {
        const Clock::time_point encode_start = Clock::now();
        absl::StatusOr<std::vector<Encoding>> encodings =
            tokenizers[t].tokenizer->EncodeBatch(batch.views, encode_options, options.threads);
        report.tokenizers[t].encode_seconds += SecondsSince(encode_start);
        if (!encodings.ok()) {
          return absl::Status(
              encodings.status().code(),
              absl::StrFormat("%s with %s: %s", file.path, tokenizers[t].name, encodings.status().message()));
        }
        for (size_t d = 0; d < n; ++d) {
          category[t].AddDocument(batch.docs[d], batch.characters[d], batch.words[d], (*encodings)[d]);
        }
      }
    }
    if (documents == 0) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: no text (empty corpus file)", file.path));
    }
    for (size_t t = 0; t < tokenizers.size(); ++t) {
      report.tokenizers[t].categories.push_back(category[t].Finish(dictionary->get()));
      overall[t].Merge(category[t]);
    }
  }
  for (size_t t = 0; t < tokenizers.size(); ++t) report.tokenizers[t].overall = overall[t].Finish(nullptr);
  report.seconds = SecondsSince(start);
  return report;
}

}  // namespace tokgraft::stats
