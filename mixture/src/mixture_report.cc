// MixtureToJson and MixtureToHtml.
#include <algorithm>

#include "absl/strings/str_format.h"
#include "svg_charts.h"
#include "tokgraft/json_string.h"
#include "tokgraft/mixture.h"

namespace tokgraft::mixture {
namespace {

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

// Categories from the largest proportion down (ties by name).
std::vector<const CategoryResult*> ByProportion(const MixtureResult& r) {
  std::vector<const CategoryResult*> sorted;
  for (const CategoryResult& c : r.categories) sorted.push_back(&c);
  std::stable_sort(sorted.begin(), sorted.end(), [](const CategoryResult* a, const CategoryResult* b) {
    return a->proportion != b->proportion ? a->proportion > b->proportion : a->name < b->name;
  });
  return sorted;
}

constexpr char kStyle[] = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1100px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
svg.chart { display: block; margin: 8px 0; max-width: 100%; height: auto; }
svg .legend { font-size: 12px; } svg .tick { font-size: 10px; fill: #444; }
svg .axis { font-size: 11px; fill: #444; } svg .grid { stroke: #e4e4e4; }
table { border-collapse: collapse; font-size: 12px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; white-space: nowrap; }
th { background: #f4f4f4; } td.l, th.l { text-align: left; }
p.note { color: #555; max-width: 900px; }
)";

}  // namespace

std::string MixtureToJson(const MixtureResult& r) {
  std::string json = absl::StrFormat(
      "{\"tokenizer\":%s,\"unit\":%s,\"merges_used\":%d,\"steps\":%d,\"unreachable_steps\":%d,"
      "\"unseen_steps\":%d,\"constrained_steps\":%d,\"constraints\":%d,"
      "\"pair_columns\":%d,\"rounds\":%d,\"total_slack\":%.9g,\"pair_slack\":%.9g,\"slack_lower_bound\":%.9g,"
      "\"steps_with_slack\":%d,\"pairs_with_slack\":%d,\"seconds\":{\"read\":%.3f,\"replay\":%.3f,\"search\":%.3f,\"solve\":%.3f,"
      "\"total\":%.3f},\"categories\":[",
      JsonString(r.tokenizer), JsonString(r.unit), r.merges_used, r.steps, r.unreachable_steps, r.unseen_steps,
      r.constrained_steps, r.constraints, r.pair_columns, r.rounds, r.total_slack, r.pair_slack,
      r.slack_lower_bound, r.steps_with_slack, r.pairs_with_slack, r.read_seconds,
      r.replay_seconds, r.search_seconds, r.solve_seconds, r.seconds);
  for (size_t i = 0; i < r.categories.size(); ++i) {
    const CategoryResult& c = r.categories[i];
    absl::StrAppendFormat(&json, "%s{\"name\":%s,\"path\":%s,\"proportion\":%.9g,\"bytes\":%d,\"distinct_words\":%d}",
                          i ? "," : "", JsonString(c.name), JsonString(c.path), c.proportion, c.bytes,
                          c.distinct_words);
  }
  json += "]}\n";
  return json;
}

std::string MixtureToHtml(const MixtureResult& r) {
  using stats::EscapeHtml;
  const std::vector<const CategoryResult*> sorted = ByProportion(r);
  std::vector<std::string> names;
  std::vector<double> percents;
  for (const CategoryResult* c : sorted) {
    names.push_back(c->name);
    percents.push_back(100 * c->proportion);
  }
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  absl::StrAppend(&html, "<title>tokgraft mixture: ", EscapeHtml(r.tokenizer), "</title><style>", kStyle,
                  "</style></head><body>\n");
  absl::StrAppend(&html, "<h1>Inferred training mixture of ", EscapeHtml(r.tokenizer), "</h1>\n");
  absl::StrAppendFormat(&html,
                        "<p class=\"note\">Data-mixture inference from the merge list (Hayase et al. 2024): %d "
                        "merges (%d steps) replayed on each category's sample, pre-tokenized by %s; %d steps in "
                        "the program, %d rows in %d rounds, total slack %.6g (occurrences per million "
                        "bytes). %.1f s.</p>\n",
                        r.merges_used, r.steps, EscapeHtml(r.unit), r.constrained_steps, r.constraints, r.rounds,
                        r.total_slack, r.seconds);
  html += stats::GroupedBarChart("proportions", names, {"share of training bytes (%)"}, {percents}, "%");
  html += "<h2>Proportions</h2>\n<table><tr><th class=\"l\">category</th><th>proportion</th><th>sample bytes</th>"
          "<th>distinct words</th><th class=\"l\">sample</th></tr>\n";
  for (const CategoryResult* c : sorted) {
    absl::StrAppendFormat(&html,
                          "<tr><td class=\"l\">%s</td><td>%.2f%%</td><td>%d</td><td>%d</td><td class=\"l\">%s</td>"
                          "</tr>\n",
                          EscapeHtml(c->name), 100 * c->proportion, c->bytes, c->distinct_words, EscapeHtml(c->path));
  }
  html += "</table>\n<h2>Program</h2>\n<table>\n";
  const std::pair<const char*, std::string> rows[] = {
      {"merges used", absl::StrCat(r.merges_used)},
      {"steps (distinct tokens made)", absl::StrCat(r.steps)},
      {"steps listed before their parts exist", absl::StrCat(r.unreachable_steps)},
      {"steps whose merge occurs in no sample", absl::StrCat(r.unseen_steps)},
      {"steps in the program", absl::StrCat(r.constrained_steps)},
      {"(step, pair) rows generated", absl::StrCat(r.constraints)},
      {"pair slack columns", absl::StrCat(r.pair_columns)},
      {"rounds", absl::StrCat(r.rounds)},
      {"total slack", absl::StrFormat("%.6g", r.total_slack)},
      {"lower bound of the total slack", absl::StrFormat("%.6g", r.slack_lower_bound)},
      {"of which pair slack", absl::StrFormat("%.6g", r.pair_slack)},
      {"steps with slack", absl::StrCat(r.steps_with_slack)},
      {"pairs with slack", absl::StrCat(r.pairs_with_slack)},
      {"read + pre-tokenize (s)", absl::StrFormat("%.2f", r.read_seconds)},
      {"replay (s)", absl::StrFormat("%.2f", r.replay_seconds)},
      {"constraint search (s)", absl::StrFormat("%.2f", r.search_seconds)},
      {"LP solver (s)", absl::StrFormat("%.2f", r.solve_seconds)},
      {"total (s)", absl::StrFormat("%.2f", r.seconds)},
  };
  for (const auto& [label, value] : rows) {
    absl::StrAppend(&html, "<tr><td class=\"l\">", label, "</td><td>", value, "</td></tr>\n");
  }
  html += "</table>\n</body></html>\n";
  return html;
}

}  // namespace tokgraft::mixture
