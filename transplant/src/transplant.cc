// Transplant(): load both models, align their vocabularies, measure the
// methods on shared tokens (leave-one-out), estimate the rows the base
// lacks, and write the output folder.
#include "tokgraft/transplant.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "absl/strings/str_format.h"
#include "methods.h"
#include "model_folder.h"
#include "output_folder.h"
#include "status_macros.h"
#include "token_pieces.h"
#include "vocabulary_alignment.h"

namespace tokgraft {
namespace {

using namespace transplant;  // NOLINT: this file is the module's top level

constexpr TransplantMethod kAllMethods[] = {TransplantMethod::kHybrid, TransplantMethod::kOmp,
                                            TransplantMethod::kTokenAdapt, TransplantMethod::kFvt,
                                            TransplantMethod::kKnn, TransplantMethod::kMean, TransplantMethod::kZero};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The longest run of digits one token covers when the tokenizer encodes a
// long number: 1 for single-digit splitting, 3 for 1-3 digit groups, ...
size_t DigitsPerToken(const Tokenizer& tokenizer) {
  constexpr std::string_view kNumber = "x 31415926535897932384";
  EncodeOptions options;
  options.with_offsets = true;
  absl::StatusOr<Encoding> e = tokenizer.Encode(kNumber, options);
  if (!e.ok()) return 0;
  size_t longest = 0;
  for (const ByteSpan& span : e->offsets) {
    size_t digits = 0;
    for (uint32_t i = span.begin; i < span.end && i < kNumber.size(); ++i) {
      digits += std::isdigit(static_cast<unsigned char>(kNumber[i])) != 0;
    }
    longest = std::max(longest, digits);
  }
  return longest;
}

std::vector<float> BaseMean(const FloatRows& rows, size_t tokens) {
  std::vector<double> sum(rows.cols, 0);
  const size_t n = std::min(tokens, rows.rows);
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = 0; c < rows.cols; ++c) sum[c] += rows.row(r)[c];
  }
  std::vector<float> mean(rows.cols);
  for (size_t c = 0; c < rows.cols; ++c) mean[c] = n ? static_cast<float>(sum[c] / n) : 0;
  return mean;
}

MatrixSpaces MakeSpaces(const FloatRows& donor, const FloatRows& base, size_t base_tokens,
                        const VocabularyAlignment& alignment, int threads) {
  MatrixSpaces s;
  s.donor = donor;
  s.base = base;
  s.shared_donor = &alignment.shared_donor;
  s.shared_base = &alignment.shared_base;
  s.atoms.resize(alignment.shared_donor.size() * donor.cols);
  for (size_t i = 0; i < alignment.shared_donor.size(); ++i) {
    std::copy_n(donor.row(alignment.shared_donor[i]), donor.cols, s.atoms.begin() + i * donor.cols);
  }
  s.base_mean = BaseMean(base, base_tokens);
  s.threads = threads;
  return s;
}

// Shared tokens to hide one at a time: those the base made by a merge, so
// that their pieces without it are known.
struct LeaveOneOut {
  Targets targets;
  std::vector<uint32_t> base_ids;
  std::vector<uint32_t> byte_length;
};

LeaveOneOut SampleLeaveOneOut(const ModelFolder& base, const VocabularyAlignment& alignment, size_t size,
                              uint64_t seed) {
  LeaveOneOut loo;
  if (size == 0) return loo;
  const std::map<uint32_t, std::pair<uint32_t, uint32_t>> parents = MergeParents(base);
  std::vector<size_t> candidates;
  for (size_t i = 0; i < alignment.shared_base.size(); ++i) {
    if (parents.count(alignment.shared_base[i])) candidates.push_back(i);
  }
  std::mt19937_64 rng(seed);
  std::shuffle(candidates.begin(), candidates.end(), rng);
  candidates.resize(std::min(size, candidates.size()));
  std::sort(candidates.begin(), candidates.end());
  for (size_t i : candidates) {
    const uint32_t base_id = alignment.shared_base[i];
    const auto& [left, right] = parents.at(base_id);
    loo.targets.donor_row.push_back(alignment.shared_donor[i]);
    loo.targets.pieces.push_back({left, right});
    loo.targets.excluded_atom.push_back(static_cast<int32_t>(i));
    loo.base_ids.push_back(base_id);
    loo.byte_length.push_back(static_cast<uint32_t>(alignment.bytes[alignment.shared_donor[i]].size()));
  }
  return loo;
}

double MeanCosine(const Estimate& estimate, const Estimate& truth, const std::vector<size_t>& use) {
  if (use.empty()) return 0;
  double sum = 0;
  for (size_t i : use) sum += Cosine(estimate.row(i), truth.row(i), truth.dim);
  return sum / use.size();
}

// Measures every method on the hidden shared tokens and fits the hybrid's
// weights (reported cosines of the hybrid are cross-fitted: weights from one
// half of the sample, measured on the other).
absl::Status MeasureLeaveOneOut(const MatrixSpaces& spaces, const LeaveOneOut& loo, MethodContext context,
                                MatrixReport* report, HybridWeights* weights) {
  const size_t n = loo.targets.size();
  *weights = DefaultHybridWeights();
  if (n == 0) return absl::OkStatus();
  Estimate truth = EmptyEstimate(n, spaces.base.cols);
  for (size_t i = 0; i < n; ++i) std::copy_n(spaces.base.row(loo.base_ids[i]), truth.dim, truth.row(i));
  context.target_byte_length = loo.byte_length;
  context.progress = nullptr;
  std::vector<size_t> all(n), first, second;
  std::iota(all.begin(), all.end(), 0);
  for (size_t i = 0; i < n; ++i) (i % 2 ? second : first).push_back(i);

  TOKGRAFT_ASSIGN_OR_RETURN(const HybridComponents components, EstimateHybridComponents(spaces, loo.targets, context));
  *weights = FitHybridWeights(components, truth, all);
  for (TransplantMethod method : kAllMethods) {
    const std::string name(TransplantMethodName(method));
    if (method == TransplantMethod::kHybrid) {
      double sum = 0;
      for (const auto& [fit, measure] : {std::make_pair(&first, &second), std::make_pair(&second, &first)}) {
        const MethodRows rows = CombineHybrid(components, FitHybridWeights(components, truth, *fit));
        sum += MeanCosine(rows.rows, truth, *measure) * measure->size();
      }
      report->loo_cosine[name] = sum / n;
    } else if (method == TransplantMethod::kOmp || method == TransplantMethod::kFvt ||
               method == TransplantMethod::kMean) {
      report->loo_cosine[name] = MeanCosine(components.at(name), truth, all);
    } else {
      TOKGRAFT_ASSIGN_OR_RETURN(MethodRows rows, EstimateWith(method, spaces, loo.targets, context));
      report->loo_cosine[name] = MeanCosine(rows.rows, truth, all);
    }
  }
  for (const char* piece : {"first", "last"}) {
    report->loo_cosine[std::string(piece) + " piece"] = MeanCosine(components.at(piece), truth, all);
  }
  Estimate average = EmptyEstimate(n, truth.dim);
  for (size_t i = 0; i < n; ++i) {
    for (size_t c = 0; c < truth.dim; ++c) {
      average.row(i)[c] = 0.5f * (components.at("omp").row(i)[c] + components.at("fvt").row(i)[c]);
    }
  }
  report->loo_cosine["omp+fvt average"] = MeanCosine(average, truth, all);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TransplantMethod> ParseTransplantMethod(std::string_view name) {
  for (TransplantMethod method : kAllMethods) {
    if (TransplantMethodName(method) == name) return method;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "unknown method '%s' (hybrid, omp, tokenadapt, fvt, knn, mean, zero)", std::string(name)));
}

std::string_view TransplantMethodName(TransplantMethod method) {
  switch (method) {
    case TransplantMethod::kHybrid: return "hybrid";
    case TransplantMethod::kOmp: return "omp";
    case TransplantMethod::kTokenAdapt: return "tokenadapt";
    case TransplantMethod::kFvt: return "fvt";
    case TransplantMethod::kKnn: return "knn";
    case TransplantMethod::kMean: return "mean";
    case TransplantMethod::kZero: return "zero";
  }
  return "?";
}

absl::StatusOr<TransplantReport> Transplant(const std::string& base_path, const std::string& donor_path,
                                            const std::string& out, const TransplantOptions& options_in) {
  const auto start = std::chrono::steady_clock::now();
  TransplantOptions options = options_in;
  if (options.threads <= 0) options.threads = omp_get_num_procs();
  options.omp.threads = options.threads;
  auto progress = [&](std::string_view stage, size_t done, size_t total) {
    if (options.progress) options.progress(stage, done, total);
  };
  TOKGRAFT_RETURN_IF_ERROR(CheckOutputFolder(out, options.overwrite));
  progress("loading models", 0, 2);
  TOKGRAFT_ASSIGN_OR_RETURN(ModelFolder base, LoadModelFolder(base_path, "base"));
  progress("loading models", 1, 2);
  TOKGRAFT_ASSIGN_OR_RETURN(ModelFolder donor, LoadModelFolder(donor_path, "donor"));
  progress("loading models", 2, 2);
  const VocabularyAlignment alignment = AlignVocabularies(base, donor);

  TransplantReport report;
  report.base = base_path;
  report.donor = donor_path;
  report.out = out;
  report.method = std::string(TransplantMethodName(options.method));
  report.base_tokens = alignment.base_tokens;
  report.donor_tokens = donor.tokenizer->Info().vocab_size;
  report.output_rows = alignment.rows;
  report.shared = alignment.shared_donor.size();
  report.base_tokens_without_row = alignment.base_tokens_without_row;
  report.donor_ids_past_rows = alignment.donor_ids_past_rows;
  report.base_tied = base.tied;
  report.donor_tied = donor.tied;
  report.base_hidden = base.hidden_size;
  report.donor_hidden = donor.hidden_size;
  report.omp = options.omp;
  for (const SpecialTokenMatch& m : alignment.specials) {
    report.specials.push_back({m.donor_id, m.content, m.role, m.base_id ? int64_t(*m.base_id) : -1, m.matched_by});
    if (!m.base_id) {
      report.warnings.push_back(absl::StrFormat(
          "special token %s (donor id %u) has no counterpart in the base: its rows are estimated", m.content, m.donor_id));
    }
  }
  if (alignment.shared_donor.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "base %s and donor %s share no token (by canonical bytes): there is nothing to build the new rows from",
        base_path, donor_path));
  }
  const bool needs_omp = options.method == TransplantMethod::kOmp || options.method == TransplantMethod::kHybrid;
  if (needs_omp && alignment.shared_donor.size() < static_cast<size_t>(options.omp.k)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "the vocabularies share only %zu tokens, fewer than OMP's k=%d: lower --k or use --method fvt",
        alignment.shared_donor.size(), options.omp.k));
  }
  const size_t base_digits = DigitsPerToken(*base.tokenizer), donor_digits = DigitsPerToken(*donor.tokenizer);
  if (base_digits != donor_digits) {
    report.warnings.push_back(absl::StrFormat(
        "numbers are split differently: the base takes up to %zu digits per token, the donor %zu. The OMP "
        "tokenizer-transplant paper found this is what breaks arithmetic after a transplant",
        base_digits, donor_digits));
  }

  // Rows to estimate, and what each estimator has to go on.
  std::vector<size_t> estimated_rows;
  Targets targets;
  std::vector<uint32_t> byte_length;
  for (size_t row = 0; row < alignment.rows; ++row) {
    const RowKind kind = alignment.kind[row];
    if (kind == RowKind::kShared || kind == RowKind::kSpecialMatched) continue;
    estimated_rows.push_back(row);
    targets.donor_row.push_back(alignment.donor_has_row[row] ? static_cast<int64_t>(row) : -1);
    targets.pieces.push_back(kind == RowKind::kNew ? BasePieces(base, alignment.base_by_bytes, alignment.bytes[row])
                                                   : std::vector<uint32_t>{});
    byte_length.push_back(static_cast<uint32_t>(alignment.bytes[row].size()));
    report.new_tokens += kind == RowKind::kNew;
    report.padding_rows += kind == RowKind::kPadding;
  }
  PieceFacts facts;
  facts.donor_row_of_base.assign(base.rows, -1);
  facts.base_byte_length.assign(base.rows, 0);
  for (size_t i = 0; i < alignment.shared_donor.size(); ++i) {
    facts.donor_row_of_base[alignment.shared_base[i]] = alignment.shared_donor[i];
  }
  for (const auto& [bytes, id] : alignment.base_by_bytes) facts.base_byte_length[id] = static_cast<uint32_t>(bytes.size());
  const LeaveOneOut loo = SampleLeaveOneOut(base, alignment, options.leave_one_out_sample, options.seed);
  if (options.method == TransplantMethod::kHybrid && loo.targets.size() == 0) {
    report.warnings.push_back("no leave-one-out sample (the base has no merge list): the hybrid uses fixed weights");
  }

  NewMatrices matrices;
  matrices.rows = alignment.rows;
  const size_t hidden = base.hidden_size;
  struct Pass {
    std::string name;
    FloatRows donor, base;
    std::vector<float>* out;
  };
  std::vector<Pass> passes = {{"embed", donor.embed_rows(), base.embed_rows(), &matrices.embed}};
  if (!base.tied) passes.push_back({"lm_head", donor.output_rows(), base.output_rows(), &matrices.lm_head});
  for (const Pass& pass : passes) {
    const auto pass_start = std::chrono::steady_clock::now();
    MatrixReport matrix_report;
    matrix_report.name = pass.name;
    const MatrixSpaces spaces = MakeSpaces(pass.donor, pass.base, alignment.base_tokens, alignment, options.threads);
    MethodContext context;
    context.options = &options;
    context.piece_facts = &facts;
    progress("leave-one-out " + pass.name, 0, 1);
    HybridWeights weights;
    TOKGRAFT_RETURN_IF_ERROR(MeasureLeaveOneOut(spaces, loo, context, &matrix_report, &weights));
    context.hybrid = weights;
    if (options.method == TransplantMethod::kHybrid) matrix_report.hybrid_weights = FullHybridWeights(weights);
    context.target_byte_length = byte_length;
    const std::string stage = std::string(TransplantMethodName(options.method)) + " " + pass.name;
    context.progress = [&](size_t done, size_t total) { progress(stage, done, total); };
    progress(stage, 0, targets.size());
    TOKGRAFT_ASSIGN_OR_RETURN(MethodRows rows, EstimateWith(options.method, spaces, targets, context));
    progress(stage, targets.size(), targets.size());

    pass.out->assign(alignment.rows * hidden, 0.0f);
    size_t copied = 0;
    for (size_t row = 0; row < alignment.rows; ++row) {
      if (alignment.base_row[row] < 0) continue;
      std::copy_n(pass.base.row(alignment.base_row[row]), hidden, pass.out->data() + row * hidden);
      ++copied;
    }
    matrix_report.rows_by_source["copied"] = copied;
    for (size_t i = 0; i < estimated_rows.size(); ++i) {
      std::copy_n(rows.rows.row(i), hidden, pass.out->data() + estimated_rows[i] * hidden);
      ++matrix_report.rows_by_source[rows.source[i]];
    }
    matrix_report.seconds = SecondsSince(pass_start);
    report.matrices.push_back(std::move(matrix_report));
  }
  progress("writing", 0, 1);
  report.seconds = SecondsSince(start);
  TOKGRAFT_RETURN_IF_ERROR(WriteOutputFolder(base, donor, matrices, report.ToJson(), out, options.overwrite));
  progress("writing", 1, 1);
  return report;
}

}  // namespace tokgraft
