// Data-mixture inference from a BPE merge list (Hayase et al. 2024, "Data
// Mixture Inference: What do BPE Tokenizers Reveal about their Training
// Data?").
//
// Each merge of a BPE tokenizer was the most frequent pair of its training
// data at that step. Replaying the merges on a sample of each candidate
// category (languages, code, ...) gives every pair's count per category at
// every step; the proportions alpha (>= 0, summing to 1) are those under which
// the merged pairs come closest to being the most frequent ones: the linear
// program
//   minimise   sum_t v_t
//   subject to sum_i alpha_i (c_i,m(t) - c_i,p) + v_t >= 0  for every step t, pair p
//              v_t >= 0, alpha_i >= 0, sum_i alpha_i = 1,
// with c_i,p the count of pair p in category i's sample per million bytes
// just before step t and m(t) the pair step t merged. The constraints are far
// too many to write down: they are generated lazily, the most violated ones
// under the current solution being added (summed over blocks of steps, see
// infer_mixture.cc) until the solution is optimal for the full program.
#ifndef TOKGRAFT_MIXTURE_H_
#define TOKGRAFT_MIXTURE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::mixture {

// A category's sample: documents separated by a line holding only U+001E.
struct CategorySample {
  std::string name;  // e.g. "en", "python"
  std::string path;
};

struct MixtureOptions {
  // Merges of the list to use, from the first; 0: all.
  size_t max_merges = 0;
  int threads = 2;
  // What the pre-tokenizer is given at a time: a line (as Hugging Face's and
  // tokgraft's trainers read files, and as sentencepiece trains) or a whole
  // document. kAuto: documents for byte-level tokenizers, lines otherwise.
  enum class Unit { kAuto, kLine, kDocument };
  Unit unit = Unit::kAuto;
  // Constraints are summed over this many blocks of consecutive steps: more
  // blocks, fewer rounds but larger programs. The first round starts from
  // equal proportions.
  size_t blocks = 1000;
  int max_rounds = 500;
  // Steps whose merge occurs in no sample are left out: with samples much
  // smaller than the training data they say more about the samples than
  // about the mixture. False keeps them, as the paper's program does.
  bool skip_unseen_steps = true;
  // Called with a line of progress now and then.
  std::function<void(const std::string&)> on_progress;
};

struct CategoryResult {
  std::string name;
  std::string path;
  double proportion = 0;
  uint64_t bytes = 0;           // of the sample
  uint64_t distinct_words = 0;  // pieces after pre-tokenization
};

struct MixtureResult {
  std::string tokenizer;
  std::vector<CategoryResult> categories;  // in the order given
  size_t merges_used = 0;
  size_t steps = 0;              // merges that make distinct tokens
  size_t unreachable_steps = 0;  // listed before the tokens they join exist
  size_t unseen_steps = 0;       // the merge occurs in no sample
  size_t constrained_steps = 0;  // steps in the program
  size_t constraints = 0;        // rows of the program (cuts over blocks of steps)
  size_t pair_constraints = 0;   // violated (step, pair) constraints summed into them
  int rounds = 0;                // sweeps for violated constraints
  double total_slack = 0;        // sum of v_t at the solution, counts per million bytes
  double slack_lower_bound = 0;  // the program's proven lower bound
  size_t steps_with_slack = 0;   // v_t > 0
  std::string unit;              // "line" or "document"
  double read_seconds = 0;       // reading and pre-tokenizing the samples
  double replay_seconds = 0;     // replaying the merges (wall clock, all threads)
  double search_seconds = 0;     // finding violated constraints
  double solve_seconds = 0;      // the LP solver
  double seconds = 0;            // everything
};

// Checks that a sample file exists, is readable, not empty and valid UTF-8;
// the error names the file.
absl::Status ValidateCategorySample(const CategorySample& sample);

// `tokenizer` was loaded from `tokenizer_path` (a tokenizer.json or a model
// folder holding one), whose merge list is read again here. Fails with
// InvalidArgument for tokenizers without a merge list to replay (Unigram,
// WordPiece, .tiktoken rank files, sentencepiece .model files), and on bad
// samples, naming the file.
absl::StatusOr<MixtureResult> InferMixture(const Tokenizer& tokenizer, const std::string& tokenizer_path,
                                           const std::vector<CategorySample>& categories,
                                           const MixtureOptions& options);

// Every number as one JSON document.
std::string MixtureToJson(const MixtureResult& result);
// A self-contained HTML page: a bar chart of the proportions and the numbers.
std::string MixtureToHtml(const MixtureResult& result);

}  // namespace tokgraft::mixture

#endif  // TOKGRAFT_MIXTURE_H_
