// Supertoken training: SuperBPE's two stages and TokenAdapt-style chunks.
#include <random>

#include "absl/hash/hash.h"
#include "absl/strings/str_format.h"
#include "status_macros.h"
#include "tokgraft/trainer.h"
#include "training/word_splitter.h"

namespace tokgraft {
namespace {

// The split that keeps a pre-tokenizer's number grouping and nothing else.
absl::StatusOr<std::string> AcrossWordsSplitter(std::string_view base) {
  if (base == "digits-bytelevel") return std::string("digits");
  if (base == "cl100k" || base == "llama3" || base == "o200k") return std::string("digits1-3");
  if (base == "qwen2") return std::string("digits1");
  if (base == "gpt2" || base == "bytelevel") return std::string("space-digits");
  if (base == "none") return std::string("none");
  return absl::InvalidArgumentError(absl::StrFormat(
      "supertokens need a named byte-level pre-tokenizer (digits-bytelevel, bytelevel, gpt2, cl100k, llama3, "
      "o200k, qwen2, none), not '%s'",
      base));
}

bool IsNumberPiece(std::string_view piece) {
  bool digit = false;
  for (char c : piece) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != ' ') {
      return false;
    }
  }
  return digit;
}

// Regroups the base pre-tokenizer's pieces into chunks of k consecutive
// pieces, k drawn per chunk; a number piece always stands alone.
class ChunkingPreTokenizer : public PreTokenizer {
 public:
  ChunkingPreTokenizer(std::unique_ptr<PreTokenizer> base, std::vector<double> weights, uint64_t seed)
      : base_(std::move(base)), weights_(std::move(weights)), seed_(seed) {}

  void PreTokenize(PreTokenized* pre) const override {
    base_->PreTokenize(pre);
    const std::string& text = pre->text.text();
    std::mt19937_64 rng(seed_ ^ absl::HashOf(text));
    std::discrete_distribution<size_t> length(weights_.begin(), weights_.end());
    std::vector<ByteSpan> chunks;
    size_t wanted = 0, taken = 0;
    for (const ByteSpan& piece : pre->pieces) {
      const bool number = IsNumberPiece(std::string_view(text).substr(piece.begin, piece.end - piece.begin));
      const bool contiguous = !chunks.empty() && chunks.back().end == piece.begin;
      if (number || !contiguous || taken >= wanted) {
        chunks.push_back(piece);
        taken = 1;
        wanted = number ? 0 : length(rng) + 1;
      } else {
        chunks.back().end = piece.end;
        ++taken;
      }
    }
    pre->pieces = std::move(chunks);
  }
  std::string Describe() const override { return "Chunks(" + base_->Describe() + ")"; }

 private:
  std::unique_ptr<PreTokenizer> base_;
  std::vector<double> weights_;
  uint64_t seed_;
};

}  // namespace

absl::StatusOr<TrainedBpe> TrainSupertokens(const std::vector<std::string>& files, std::string_view pre_tokenizer,
                                            int threads, const BpeTrainerOptions& options,
                                            const SupertokenOptions& supertokens,
                                            const std::function<void(uint64_t)>& on_bytes) {
  TOKGRAFT_ASSIGN_OR_RETURN(const std::string across_name, AcrossWordsSplitter(pre_tokenizer));
  TOKGRAFT_ASSIGN_OR_RETURN(auto across, MakeWordSplitter(across_name));
  BpeTrainerOptions final_options = options;
  final_options.max_words_per_token = supertokens.max_words_per_token;
  final_options.forbid_colon_space = true;

  if (supertokens.method == SupertokenOptions::Method::kTokenAdapt) {
    if (supertokens.chunk_weights.empty()) return absl::InvalidArgumentError("no chunk-length weights");
    for (double w : supertokens.chunk_weights) {
      if (!(w >= 0)) return absl::InvalidArgumentError("chunk-length weights must be >= 0");
    }
    TOKGRAFT_ASSIGN_OR_RETURN(auto base, MakeWordSplitter(pre_tokenizer));
    TOKGRAFT_ASSIGN_OR_RETURN(std::unique_ptr<PreTokenizer> base_pre, BuildPreTokenizer(base->info()));
    // Counted in chunks; written with the across-words split.
    auto chunker = std::make_shared<const WordSplitter>(
        across->info(), std::make_unique<ChunkingPreTokenizer>(std::move(base_pre), supertokens.chunk_weights,
                                                               supertokens.seed));
    TOKGRAFT_ASSIGN_OR_RETURN(WordCounts counts, CountFiles(chunker, files, threads, on_bytes));
    return TrainBpe(counts, final_options);
  }

  const size_t transition =
      supertokens.transition > 0 ? supertokens.transition : options.vocab_size - options.vocab_size / 10;
  if (transition > options.vocab_size) {
    return absl::InvalidArgumentError(
        absl::StrFormat("transition %d is above the vocabulary size %d", transition, options.vocab_size));
  }
  TOKGRAFT_ASSIGN_OR_RETURN(auto base, MakeWordSplitter(pre_tokenizer));
  TOKGRAFT_ASSIGN_OR_RETURN(WordCounts words, CountFiles(base, files, threads, on_bytes));
  BpeTrainerOptions stage1 = options;
  stage1.vocab_size = transition;
  TOKGRAFT_ASSIGN_OR_RETURN(TrainedBpe first, TrainBpe(words, stage1));

  TOKGRAFT_ASSIGN_OR_RETURN(WordCounts chunks, CountFiles(across, files, threads, on_bytes));
  final_options.initial_merges = first.merges;
  return TrainBpe(chunks, final_options);
}

}  // namespace tokgraft
