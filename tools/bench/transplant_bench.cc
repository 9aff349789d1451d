// OMP for a vocabulary transplant, timed, with its inputs written out so that
// tools/bench/transplant_bench.py can run mergekit's batch_omp on the same
// problem and compare atoms and coefficients.
//
//   transplant_bench models BASE_DIR DONOR_DIR OUT_DIR [options]
//   transplant_bench synthetic BASE_TOKENIZER DONOR_TOKENIZER OUT_DIR
//                    [--base-dim 4096] [--donor-dim 3584] [options]
// options: --k 64 --sample 512 --max-new N (time OMP on N new tokens; default
// all; 0: none) --seed 1 --threads N
//          --omp-candidates M[,M...] --omp-rescreen R[,R...]: the approximate
//          (screened) atom search, each combination on the sample against
//          exact OMP (one JSON line each: time, agreement); the first
//          combination is the one timed on --max-new tokens
//
// "models" uses the donor's embedding matrix of real checkpoints;
// "synthetic" gives both tokenizers random N(0,1) embeddings (fixed seeds).
// Writes OUT_DIR/atoms.f32 (shared tokens' donor rows), sample_targets.f32
// (the sampled new tokens' donor rows), tokgraft_atoms.i32 and
// tokgraft_coefficients.f64 (exact OMP on the sample), and prints one JSON
// line (last).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "model_folder.h"
#include "tokgraft/omp.h"
#include "vocabulary_alignment.h"

namespace {

using tokgraft::FloatRows;
using tokgraft::transplant::ModelFolder;

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <typename T>
bool WriteRaw(const std::string& path, const std::vector<T>& values) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  return static_cast<bool>(out);
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "transplant_bench: %s\n", message.c_str());
  return 2;
}

std::vector<float> RandomRows(size_t rows, size_t cols, uint64_t seed) {
  std::vector<float> values(rows * cols);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0, 1);
  for (float& v : values) v = normal(rng);
  return values;
}

std::vector<long> ParseList(const std::string& text) {
  std::vector<long> values;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) values.push_back(std::stol(item));
  return values;
}

// Target i's reconstruction sum_j c_j atom_j, in float64.
std::vector<double> Reconstruct(const FloatRows& atoms, const tokgraft::OmpSolution& s, size_t i) {
  std::vector<double> x(atoms.cols, 0);
  for (int j = 0; j < s.k; ++j) {
    const int32_t a = s.atoms[i * s.k + j];
    if (a < 0) break;
    for (size_t c = 0; c < atoms.cols; ++c) x[c] += s.coefficients[i * s.k + j] * atoms.row(a)[c];
  }
  return x;
}

double Norm(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x * x;
  return std::sqrt(sum);
}

// How far the screened solution is from exact OMP's on the same targets.
struct Agreement {
  double same_atoms = 0;        // mean |atoms in both| / k
  size_t same_sequence = 0;     // targets with the same atoms in the same order
  double residual_mean = 0, residual_max = 0;  // (|r_screened| - |r_exact|) / |r_exact|
  double coefficient_mean = 0, coefficient_max = 0;  // |c_s - c_e| / |c_e|, as sparse vectors over all atoms
};

Agreement Compare(const FloatRows& atoms, const FloatRows& targets, const tokgraft::OmpSolution& exact,
                  const tokgraft::OmpSolution& screened) {
  Agreement a;
  const int k = exact.k;
  for (size_t i = 0; i < targets.rows; ++i) {
    std::map<int32_t, std::pair<double, double>> coefficients;  // atom -> (exact, screened)
    for (int j = 0; j < k; ++j) {
      if (exact.atoms[i * k + j] >= 0) coefficients[exact.atoms[i * k + j]].first = exact.coefficients[i * k + j];
      if (screened.atoms[i * k + j] >= 0) {
        coefficients[screened.atoms[i * k + j]].second = screened.coefficients[i * k + j];
      }
    }
    size_t both = 0;
    double difference = 0, exact_norm = 0;
    for (const auto& [atom, c] : coefficients) {
      both += c.first != 0 && c.second != 0;
      difference += (c.first - c.second) * (c.first - c.second);
      exact_norm += c.first * c.first;
    }
    a.same_atoms += double(both) / k;
    a.same_sequence += std::equal(&exact.atoms[i * k], &exact.atoms[i * k + k], &screened.atoms[i * k]);
    const double coefficient = std::sqrt(difference / exact_norm);
    a.coefficient_mean += coefficient;
    a.coefficient_max = std::max(a.coefficient_max, coefficient);
    std::vector<double> r_exact = Reconstruct(atoms, exact, i), r_screened = Reconstruct(atoms, screened, i);
    for (size_t c = 0; c < targets.cols; ++c) {
      r_exact[c] = targets.row(i)[c] - r_exact[c];
      r_screened[c] = targets.row(i)[c] - r_screened[c];
    }
    const double residual = (Norm(r_screened) - Norm(r_exact)) / Norm(r_exact);
    a.residual_mean += residual;
    a.residual_max = std::max(a.residual_max, residual);
  }
  const double n = std::max<size_t>(targets.rows, 1);
  a.same_atoms /= n;
  a.residual_mean /= n;
  a.coefficient_mean /= n;
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: transplant_bench models|synthetic BASE DONOR OUT_DIR [options] (see the source)\n");
    return 2;
  }
  const std::string mode = argv[1], base_path = argv[2], donor_path = argv[3], out_dir = argv[4];
  std::map<std::string, long> opt = {{"--k", 64},   {"--sample", 512},     {"--max-new", -1}, {"--seed", 1},
                                     {"--threads", 0}, {"--base-dim", 4096}, {"--donor-dim", 3584}};
  std::vector<long> candidates, rescreens = {0};
  for (int i = 5; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--omp-candidates") {
      candidates = ParseList(argv[i + 1]);
    } else if (std::string(argv[i]) == "--omp-rescreen") {
      rescreens = ParseList(argv[i + 1]);
    } else if (opt.count(argv[i])) {
      opt[argv[i]] = std::stol(argv[i + 1]);
    } else {
      return Fail(std::string("unknown option ") + argv[i]);
    }
  }
  ModelFolder base, donor;
  if (mode == "models") {
    auto b = tokgraft::transplant::LoadModelFolder(base_path, "base");
    if (!b.ok()) return Fail(std::string(b.status().message()));
    auto d = tokgraft::transplant::LoadModelFolder(donor_path, "donor");
    if (!d.ok()) return Fail(std::string(d.status().message()));
    base = *std::move(b);
    donor = *std::move(d);
  } else if (mode == "synthetic") {
    for (auto [model, path, dim, seed] : {std::make_tuple(&base, base_path, opt["--base-dim"], opt["--seed"]),
                                          std::make_tuple(&donor, donor_path, opt["--donor-dim"], opt["--seed"] + 1)}) {
      auto tokenizer = tokgraft::LoadTokenizer(path);
      if (!tokenizer.ok()) return Fail(std::string(tokenizer.status().message()));
      model->tokenizer = *std::move(tokenizer);
      model->rows = model->tokenizer->Info().vocab_size;
      model->hidden_size = static_cast<int>(dim);
      model->tied = true;
      model->embed = RandomRows(model->rows, dim, seed);
    }
  } else {
    return Fail("mode must be models or synthetic");
  }
  const double align_start = Now();
  const tokgraft::transplant::VocabularyAlignment alignment = tokgraft::transplant::AlignVocabularies(base, donor);
  const double align_seconds = Now() - align_start;
  std::vector<uint32_t> new_tokens;
  for (size_t row = 0; row < alignment.rows; ++row) {
    if (alignment.kind[row] == tokgraft::transplant::RowKind::kNew && alignment.donor_has_row[row]) {
      new_tokens.push_back(static_cast<uint32_t>(row));
    }
  }
  const size_t dim = donor.hidden_size, shared = alignment.shared_donor.size();
  std::vector<float> atoms(shared * dim);
  for (size_t i = 0; i < shared; ++i) {
    std::memcpy(&atoms[i * dim], &donor.embed[size_t(alignment.shared_donor[i]) * dim], dim * sizeof(float));
  }
  auto rows_of = [&](const std::vector<uint32_t>& ids) {
    std::vector<float> rows(ids.size() * dim);
    for (size_t i = 0; i < ids.size(); ++i) std::memcpy(&rows[i * dim], &donor.embed[size_t(ids[i]) * dim], dim * 4);
    return rows;
  };
  std::vector<uint32_t> sample = new_tokens;
  std::shuffle(sample.begin(), sample.end(), std::mt19937_64(opt["--seed"]));
  sample.resize(std::min<size_t>(sample.size(), opt["--sample"]));
  const std::vector<float> sample_rows = rows_of(sample);

  tokgraft::OmpOptions omp;
  omp.k = static_cast<int>(opt["--k"]);
  omp.threads = static_cast<int>(opt["--threads"]);
  const FloatRows dictionary{atoms.data(), shared, dim};
  double start = Now();
  auto solution = tokgraft::SolveOmp(dictionary, FloatRows{sample_rows.data(), sample.size(), dim}, omp);
  if (!solution.ok()) return Fail(std::string(solution.status().message()));
  const double sample_seconds = Now() - start;
  if (!WriteRaw(out_dir + "/atoms.f32", atoms) || !WriteRaw(out_dir + "/sample_targets.f32", sample_rows) ||
      !WriteRaw(out_dir + "/tokgraft_atoms.i32", solution->atoms) ||
      !WriteRaw(out_dir + "/tokgraft_coefficients.f64", solution->coefficients)) {
    return Fail("cannot write into " + out_dir);
  }

  // The screened search on the sample, against exact OMP.
  const FloatRows sample_targets{sample_rows.data(), sample.size(), dim};
  for (long m : candidates) {
    for (long r : rescreens) {
      tokgraft::OmpOptions screened = omp;
      screened.candidates = m;
      screened.rescreen_every = static_cast<int>(r);
      start = Now();
      auto approximate = tokgraft::SolveOmp(dictionary, sample_targets, screened);
      if (!approximate.ok()) return Fail(std::string(approximate.status().message()));
      const double seconds = Now() - start;
      const Agreement a = Compare(dictionary, sample_targets, *solution, *approximate);
      std::printf(
          "{\"screened\": true, \"candidates\": %ld, \"rescreen_every\": %ld, \"sample\": %zu, "
          "\"sample_seconds\": %.3f, \"exact_sample_seconds\": %.3f, \"same_atoms\": %.4f, \"same_sequence\": %zu, "
          "\"residual_rel_diff_mean\": %.3e, \"residual_rel_diff_max\": %.3e, \"coefficient_rel_diff_mean\": %.3e, "
          "\"coefficient_rel_diff_max\": %.3e}\n",
          m, r, sample.size(), seconds, sample_seconds, a.same_atoms, a.same_sequence, a.residual_mean,
          a.residual_max, a.coefficient_mean, a.coefficient_max);
      std::fflush(stdout);
    }
  }
  if (!candidates.empty()) {
    omp.candidates = candidates[0];
    omp.rescreen_every = static_cast<int>(rescreens[0]);
  }

  // The whole matrix: OMP on (up to --max-new) new tokens, then the base
  // rows combined with the coefficients.
  std::vector<uint32_t> timed = new_tokens;
  if (opt["--max-new"] >= 0 && timed.size() > size_t(opt["--max-new"])) timed.resize(opt["--max-new"]);
  const std::vector<float> timed_rows = rows_of(timed);
  start = Now();
  auto full = tokgraft::SolveOmp(dictionary, FloatRows{timed_rows.data(), timed.size(), dim}, omp,
                                 {}, [&](size_t done, size_t total) {
                                   std::fprintf(stderr, "\rtransplant_bench: OMP %zu/%zu (%.0f s)", done, total,
                                                Now() - start);
                                 });
  std::fprintf(stderr, "\n");
  if (!full.ok()) return Fail(std::string(full.status().message()));
  const size_t base_dim = base.hidden_size;
  std::vector<float> new_rows(timed.size() * base_dim, 0.0f);
  for (size_t t = 0; t < timed.size(); ++t) {
    for (int j = 0; j < omp.k; ++j) {
      const int32_t atom = full->atoms[t * omp.k + j];
      if (atom < 0) break;
      const float* row = &base.embed[size_t(alignment.shared_base[atom]) * base_dim];
      const double c = full->coefficients[t * omp.k + j];
      for (size_t i = 0; i < base_dim; ++i) new_rows[t * base_dim + i] += static_cast<float>(c * row[i]);
    }
  }
  const double full_seconds = Now() - start;
  std::printf(
      "{\"shared\": %zu, \"new\": %zu, \"donor_dim\": %zu, \"base_dim\": %zu, \"k\": %d, \"align_seconds\": %.3f, "
      "\"sample\": %zu, \"sample_seconds\": %.3f, \"timed_tokens\": %zu, \"timed_seconds\": %.3f, "
      "\"projected_all_seconds\": %.1f, \"timed_atom_search\": \"%s\"}\n",
      shared, new_tokens.size(), dim, base_dim, omp.k, align_seconds, sample.size(), sample_seconds, timed.size(),
      full_seconds, timed.empty() ? 0.0 : full_seconds * new_tokens.size() / timed.size(),
      tokgraft::OmpAtomSearchName(omp).c_str());
  return 0;
}
