// Vocabulary transplant: give a pretrained model (the base) the tokenizer of
// another model (the donor) with no training. Tokens the two vocabularies
// share (by canonical bytes) keep the base's rows; the base's rows for the
// donor's other tokens are estimated, and a complete Hugging Face model
// folder is written: the base's weights speaking the donor's vocabulary.
#ifndef TOKGRAFT_TRANSPLANT_H_
#define TOKGRAFT_TRANSPLANT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/omp.h"

namespace tokgraft {

enum class TransplantMethod {
  // OMP, FVT, the first and the last base piece and the base mean combined
  // per matrix, with non-negative weights fitted by least squares to
  // leave-one-out reconstructions of shared tokens.
  kHybrid,
  kOmp,         // sparse combination of shared tokens found in the donor's space
  kTokenAdapt,  // TokenAdapt's local + global hybrid (arXiv 2505.09738)
  kFvt,         // mean of the base's pieces of the token's bytes
  kKnn,         // nearest shared tokens in the donor's space
  kMean,        // the base's mean row
  kZero,
};
absl::StatusOr<TransplantMethod> ParseTransplantMethod(std::string_view name);
std::string_view TransplantMethodName(TransplantMethod method);

struct TransplantOptions {
  TransplantMethod method = TransplantMethod::kHybrid;
  OmpOptions omp;
  int knn_k = 8;
  // TokenAdapt: softmax temperature, neighbours of the global estimate, and
  // the weight w of (1 - w) local + w global.
  double tokenadapt_temperature = 0.3;
  int tokenadapt_top_k = 3;
  double tokenadapt_global_weight = 0.3;
  // Shared tokens hidden one at a time to measure each method (and to fit
  // the hybrid's weights); 0 skips the measurement.
  size_t leave_one_out_sample = 512;
  uint64_t seed = 1;
  int threads = 0;         // 0: all cores
  bool overwrite = false;  // replace an existing OUT folder
  // Called with a stage name and its progress, e.g. ("omp lm_head", 512, 5327).
  std::function<void(std::string_view stage, size_t done, size_t total)> progress;
};

// What one output matrix got.
struct MatrixReport {
  std::string name;                               // "embed", "lm_head"
  std::map<std::string, size_t> rows_by_source;   // copied, omp, fvt, ..., fallback:omp->mean
  std::map<std::string, double> loo_cosine;       // method -> mean leave-one-out cosine
  std::map<std::string, double> hybrid_weights;   // component -> weight (hybrid only)
  double seconds = 0;
};

struct SpecialTokenReport {
  uint32_t donor_id = 0;
  std::string content;
  std::string role;
  int64_t base_id = -1;     // -1: unmatched
  std::string matched_by;   // "role", "content", ""
};

struct TransplantReport {
  std::string base, donor, out, method;
  size_t base_tokens = 0, donor_tokens = 0, output_rows = 0;
  size_t shared = 0, new_tokens = 0, padding_rows = 0;
  size_t base_tokens_without_row = 0, donor_ids_past_rows = 0;
  bool base_tied = false, donor_tied = false;
  int base_hidden = 0, donor_hidden = 0;
  // The OMP settings used (every transplant runs OMP: the leave-one-out
  // measurement does); say whether the atom search was approximate.
  OmpOptions omp;
  std::vector<SpecialTokenReport> specials;
  std::vector<MatrixReport> matrices;
  std::vector<std::string> warnings;
  double seconds = 0;

  std::string ToJson() const;
  // A few lines for people: overlap, methods, specials, warnings.
  std::string Summary() const;
};

// Writes OUT (a folder: config.json, the donor's tokenizer files, the base's
// tensors with new embedding/output matrices, transplant_report.json). OUT is
// assembled in a temporary folder beside it and renamed at the end: on any
// failure nothing is left. Fails if OUT exists, unless options.overwrite.
absl::StatusOr<TransplantReport> Transplant(const std::string& base, const std::string& donor, const std::string& out,
                                            const TransplantOptions& options);

}  // namespace tokgraft

#endif  // TOKGRAFT_TRANSPLANT_H_
