// OMP for a vocabulary transplant, timed, with its inputs written out so that
// tools/bench/transplant_bench.py can run mergekit's batch_omp on the same
// problem and compare atoms and coefficients.
//
//   transplant_bench models BASE_DIR DONOR_DIR OUT_DIR [options]
//   transplant_bench synthetic BASE_TOKENIZER DONOR_TOKENIZER OUT_DIR
//                    [--base-dim 4096] [--donor-dim 3584] [options]
// options: --k 64 --sample 512 --max-new N (time OMP on N new tokens; default
// all) --seed 1 --threads N
//
// "models" uses the donor's embedding matrix of real checkpoints;
// "synthetic" gives both tokenizers random N(0,1) embeddings (fixed seeds).
// Writes OUT_DIR/atoms.f32 (shared tokens' donor rows), sample_targets.f32
// (the sampled new tokens' donor rows), tokgraft_atoms.i32 and
// tokgraft_coefficients.f64 (OMP on the sample), and prints one JSON line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: transplant_bench models|synthetic BASE DONOR OUT_DIR [options] (see the source)\n");
    return 2;
  }
  const std::string mode = argv[1], base_path = argv[2], donor_path = argv[3], out_dir = argv[4];
  std::map<std::string, long> opt = {{"--k", 64},   {"--sample", 512},     {"--max-new", -1}, {"--seed", 1},
                                     {"--threads", 0}, {"--base-dim", 4096}, {"--donor-dim", 3584}};
  for (int i = 5; i + 1 < argc; i += 2) {
    if (!opt.count(argv[i])) return Fail(std::string("unknown option ") + argv[i]);
    opt[argv[i]] = std::stol(argv[i + 1]);
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
      "\"projected_all_seconds\": %.1f}\n",
      shared, new_tokens.size(), dim, base_dim, omp.k, align_seconds, sample.size(), sample_seconds, timed.size(),
      full_seconds, timed.empty() ? 0.0 : full_seconds * new_tokens.size() / timed.size());
  return 0;
}
