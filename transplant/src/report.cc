// TransplantReport as JSON (transplant_report.json) and as text.
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tokgraft/json_string.h"
#include "tokgraft/transplant.h"

namespace tokgraft {
namespace {

std::string Quoted(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

template <typename Value, typename Format>
std::string JsonMap(const std::map<std::string, Value>& map, Format format) {
  std::vector<std::string> fields;
  for (const auto& [key, value] : map) fields.push_back(Quoted(key) + ": " + format(value));
  return "{" + absl::StrJoin(fields, ", ") + "}";
}

}  // namespace

std::string TransplantReport::ToJson() const {
  auto count = [](size_t v) { return std::to_string(v); };
  auto real = [](double v) { return absl::StrFormat("%.6g", v); };
  std::string json = "{\n";
  json += absl::StrFormat(
      "  \"base\": %s,\n  \"donor\": %s,\n  \"method\": %s,\n"
      "  \"vocabulary\": {\"base_tokens\": %zu, \"donor_tokens\": %zu, \"output_rows\": %zu, \"shared\": %zu, "
      "\"new\": %zu, \"padding_rows\": %zu, \"base_tokens_without_row\": %zu, \"donor_ids_past_rows\": %zu},\n"
      "  \"base_tied\": %s,\n  \"donor_tied\": %s,\n  \"base_hidden\": %d,\n  \"donor_hidden\": %d,\n",
      Quoted(base), Quoted(donor), Quoted(method), base_tokens, donor_tokens, output_rows, shared, new_tokens,
      padding_rows, base_tokens_without_row, donor_ids_past_rows, base_tied ? "true" : "false",
      donor_tied ? "true" : "false", base_hidden, donor_hidden);
  json += absl::StrFormat(
      "  \"omp\": {\"k\": %d, \"normalize_atoms\": %s, \"fp64\": %s, \"atom_search\": %s, \"candidates\": %s, "
      "\"rescreen_every\": %s},\n",
      omp.k, omp.normalize_atoms ? "true" : "false", omp.fp64 ? "true" : "false",
      omp.candidates > 0 ? "\"screened\"" : "\"exact\"", omp.candidates > 0 ? std::to_string(omp.candidates) : "null",
      omp.candidates > 0 && omp.rescreen_every > 0 ? std::to_string(omp.rescreen_every) : "null");
  std::vector<std::string> special_lines;
  for (const SpecialTokenReport& s : specials) {
    special_lines.push_back(absl::StrFormat(
        "    {\"donor_id\": %u, \"content\": %s, \"role\": %s, \"base_id\": %s, \"matched_by\": %s}", s.donor_id,
        Quoted(s.content), s.role.empty() ? "null" : Quoted(s.role),
        s.base_id < 0 ? "null" : std::to_string(s.base_id), s.matched_by.empty() ? "null" : Quoted(s.matched_by)));
  }
  json += "  \"special_tokens\": [" + (special_lines.empty() ? "" : "\n" + absl::StrJoin(special_lines, ",\n") + "\n  ") + "],\n";
  std::vector<std::string> matrix_lines;
  for (const MatrixReport& m : matrices) {
    matrix_lines.push_back(absl::StrFormat(
        "    {\"name\": %s, \"rows_by_source\": %s, \"leave_one_out_cosine\": %s, \"hybrid_weights\": %s, "
        "\"seconds\": %.3f}",
        Quoted(m.name), JsonMap(m.rows_by_source, count), JsonMap(m.loo_cosine, real), JsonMap(m.hybrid_weights, real),
        m.seconds));
  }
  json += "  \"matrices\": [\n" + absl::StrJoin(matrix_lines, ",\n") + "\n  ],\n";
  std::vector<std::string> warning_lines;
  for (const std::string& w : warnings) warning_lines.push_back("    " + Quoted(w));
  json += "  \"warnings\": [" + (warning_lines.empty() ? "" : "\n" + absl::StrJoin(warning_lines, ",\n") + "\n  ") + "],\n";
  json += absl::StrFormat("  \"seconds\": %.3f\n}\n", seconds);
  return json;
}

std::string TransplantReport::Summary() const {
  std::string text = absl::StrFormat(
      "vocabulary: donor %zu tokens -> %zu rows; %zu shared with the base (copied), %zu new, %zu padding rows\n",
      donor_tokens, output_rows, shared, new_tokens, padding_rows);
  if (donor_ids_past_rows > 0) {
    text += absl::StrFormat("  %zu donor ids lie past the donor's matrix: rows added for them\n", donor_ids_past_rows);
  }
  if (base_tokens_without_row > 0) {
    text += absl::StrFormat("  %zu base ids lie past the base's matrix: not used\n", base_tokens_without_row);
  }
  text += absl::StrFormat("models: base hidden %d %s, donor hidden %d %s; method %s\n", base_hidden,
                          base_tied ? "tied" : "untied", donor_hidden, donor_tied ? "tied" : "untied", method);
  text += absl::StrFormat("omp: k %d, atom search %s%s\n", omp.k, OmpAtomSearchName(omp),
                          omp.candidates > 0 ? " (APPROXIMATE: atoms may differ from exact OMP's)" : "");
  for (const SpecialTokenReport& s : specials) {
    text += absl::StrFormat("special %-24s donor id %-6u %s\n", s.content, s.donor_id,
                            s.base_id < 0 ? std::string("UNMATCHED: estimated")
                                          : absl::StrFormat("-> base id %d (by %s%s)", s.base_id, s.matched_by,
                                                            s.role.empty() ? "" : " " + s.role));
  }
  for (const MatrixReport& m : matrices) {
    std::vector<std::string> sources, cosines, weights;
    for (const auto& [source, n] : m.rows_by_source) sources.push_back(absl::StrFormat("%s %zu", source, n));
    for (const auto& [method_name, c] : m.loo_cosine) cosines.push_back(absl::StrFormat("%s %.3f", method_name, c));
    for (const auto& [component, w] : m.hybrid_weights) weights.push_back(absl::StrFormat("%s %.3f", component, w));
    text += absl::StrFormat("%s (%.1f s): %s\n", m.name, m.seconds, absl::StrJoin(sources, ", "));
    if (!cosines.empty()) text += "  leave-one-out cosine: " + absl::StrJoin(cosines, ", ") + "\n";
    if (!weights.empty()) text += "  hybrid weights: " + absl::StrJoin(weights, ", ") + "\n";
  }
  for (const std::string& w : warnings) text += "warning: " + w + "\n";
  return text;
}

}  // namespace tokgraft
