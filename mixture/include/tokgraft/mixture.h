// Data-mixture inference from a BPE merge list (Hayase et al. 2024, "Data
// Mixture Inference: What do BPE Tokenizers Reveal about their Training
// Data?").
//
// Each merge of a BPE tokenizer was the most frequent pair of its training
// data at that step. Replaying the merges on a sample of each candidate
// category (languages, code, ...) gives every pair's count per category at
// every step; the proportions alpha (>= 0, summing to 1) are those under which
// the merged pairs come closest to being the most frequent ones: the linear
// program of the paper
//   minimise   sum_t v_t + sum_p v_p
//   subject to sum_i alpha_i (c_i,m(t) - c_i,p) + v_t + v_p >= 0  for every step t, pair p
//              v >= 0, alpha_i >= 0, sum_i alpha_i = 1,
// with c_i,p the count of pair p in category i's sample per million bytes
// just before step t and m(t) the pair step t merged. The slack v_p of a pair
// is shared by all steps: a pair that one sample over-represents (a licence
// header, box drawing) costs its excess once instead of at every step. The
// constraints are far too many to write down: they are generated lazily, the
// most violated ones under the current solution being added (see
// mixture_program.h) until the solution is optimal for the full program.
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
  // Rows added per step and round, at most: the most violated constraints
  // of the step. The first round starts from equal proportions.
  size_t candidates_per_step = 20;
  // False leaves out the pair slacks v_p (a slack per step only), the
  // program of earlier tokgraft versions, kept for comparison: one pair
  // over-represented in a sample then costs at every step and drives its
  // category's proportion down.
  bool pair_slack = true;
  int max_rounds = 10000;
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
  size_t constraints = 0;        // (step, pair) rows generated
  size_t pair_columns = 0;       // pair slacks v_p in the program
  int rounds = 0;                // sweeps for violated constraints
  double total_slack = 0;        // sum of v_t and v_p at the solution, counts per million bytes
  double pair_slack = 0;         // the sum of v_p in it
  double slack_lower_bound = 0;  // the program's proven lower bound
  size_t steps_with_slack = 0;   // v_t > 0
  size_t pairs_with_slack = 0;   // v_p > 0
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
