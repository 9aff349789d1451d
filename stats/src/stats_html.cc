// StatsToHtml: a self-contained page (inline CSS, SVG and a few lines of
// script, nothing fetched) with the charts and a table of every number.
#include <cmath>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "svg_charts.h"
#include "tokgraft/json_string.h"
#include "tokgraft/stats.h"

namespace tokgraft::stats {
namespace {

constexpr size_t kShownTokenChars = 40;

constexpr char kStyle[] = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1500px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
svg.chart { display: block; margin: 8px 0; max-width: 100%; height: auto; }
svg .legend { font-size: 12px; } svg .tick { font-size: 10px; fill: #444; }
svg .axis { font-size: 11px; fill: #444; } svg .cell { font-size: 10px; }
svg .grid { stroke: #e4e4e4; }
.histograms { display: flex; flex-wrap: wrap; gap: 12px; }
table { border-collapse: collapse; font-size: 12px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; white-space: nowrap; }
th { background: #f4f4f4; } td.l, th.l { text-align: left; }
.scroll { overflow-x: auto; } code { font-size: 12px; }
p.note { color: #555; max-width: 900px; }
)";

// After the page is laid out, each chart gets data-marks: how many of its
// data marks the browser actually drew with a non-empty box.
constexpr char kMarkCounter[] = R"(
document.querySelectorAll('svg.chart').forEach(function (svg) {
  var drawn = 0;
  svg.querySelectorAll('.mark').forEach(function (mark) {
    var box = mark.getBBox();
    if (box.width > 0 && box.height > 0) drawn++;
  });
  svg.setAttribute('data-marks', String(drawn));
});
document.body.setAttribute('data-charts', String(document.querySelectorAll('svg.chart').length));
)";

std::string Number(double v, int digits = 3) { return std::isfinite(v) ? absl::StrFormat("%.*f", digits, v) : "–"; }

std::string Share(uint64_t part, uint64_t whole) { return whole ? Number(double(part) / whole) : "–"; }

// A token as a quoted JSON string (control characters visible), shortened.
std::string ShowToken(std::string_view bytes) {
  std::string text = ToValidUtf8Lossy(bytes);
  std::string quoted;
  if (text.size() > kShownTokenChars) {
    size_t cut = kShownTokenChars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
    AppendJsonString(text, &quoted);
    quoted += "…";
  } else {
    AppendJsonString(text, &quoted);
  }
  return EscapeHtml(quoted);
}

std::vector<std::string> Names(const StatsReport& report) {
  std::vector<std::string> names;
  for (const TokenizerStats& t : report.tokenizers) names.push_back(t.name);
  return names;
}

std::string BytesPerTokenChart(const StatsReport& report) {
  std::vector<std::vector<double>> values;
  for (const TokenizerStats& t : report.tokenizers) {
    values.emplace_back();
    for (const TextMetrics& m : t.categories) values.back().push_back(BytesPerToken(m));
  }
  return GroupedBarChart("bytes-per-token", report.categories, Names(report), values, "bytes per token");
}

std::string FertilityHeatMap(const StatsReport& report) {
  std::vector<std::vector<double>> values;
  std::vector<std::vector<std::string>> labels;
  for (const TokenizerStats& t : report.tokenizers) {
    values.emplace_back();
    labels.emplace_back();
    for (const TextMetrics& m : t.categories) {
      values.back().push_back(TokensPerWord(m));
      labels.back().push_back(Number(TokensPerWord(m), 2));
    }
  }
  return HeatMap("fertility", Names(report), report.categories, values, labels);
}

std::string TokenLengthHistograms(const StatsReport& report) {
  std::vector<std::string> bins;
  for (int i = 1; i < kTokenLengthBuckets; ++i) bins.push_back(absl::StrCat(i));
  bins.push_back(absl::StrCat(kTokenLengthBuckets, "+"));
  std::string html = "<div class=\"histograms\">";
  for (size_t t = 0; t < report.tokenizers.size(); ++t) {
    const TextMetrics& m = report.tokenizers[t].overall;
    std::vector<double> shares;
    for (uint64_t count : m.token_length_histogram) shares.push_back(m.tokens ? double(count) / m.tokens : NAN);
    html += Histogram(absl::StrCat("token-lengths-", t), report.tokenizers[t].name, bins, shares, SeriesColor(t));
  }
  return html + "</div>";
}

std::string OverlapMatrix(const StatsReport& report) {
  const size_t n = report.tokenizers.size();
  std::vector<std::vector<double>> values(n, std::vector<double>(n));
  std::vector<std::vector<std::string>> labels(n, std::vector<std::string>(n));
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const uint64_t shared = report.shared_tokens[i][j];
      const uint64_t smaller = std::min(report.shared_tokens[i][i], report.shared_tokens[j][j]);
      // Coloured by the share of the smaller vocabulary, labelled by count.
      values[i][j] = smaller ? double(shared) / smaller : NAN;
      labels[i][j] = shared >= 1000 ? absl::StrFormat("%.1fk", shared / 1000.0) : absl::StrCat(shared);
    }
  }
  return HeatMap("shared-tokens", Names(report), Names(report), values, labels);
}

std::string FactsTable(const StatsReport& report) {
  std::string html =
      "<div class=\"scroll\"><table><tr><th class=\"l\">tokenizer</th><th class=\"l\">format</th><th>vocab</th>"
      "<th>regular</th><th>byte fallback</th><th>bytes covered</th><th>special</th><th>added</th>"
      "<th>reachability checked</th><th>unreachable</th><th class=\"l\">digits: vocabulary / observed</th>"
      "<th>load s</th><th>encode MB/s</th><th class=\"l\">unreachable examples</th>"
      "<th class=\"l\">longest tokens (bytes)</th></tr>";
  for (const TokenizerStats& t : report.tokenizers) {
    const TokenizerFacts& f = t.facts;
    std::vector<std::string> unreachable, longest;
    for (const TokenExample& e : f.unreachable_examples) unreachable.push_back(ShowToken(e.bytes));
    for (const TokenExample& e : f.longest_tokens) {
      longest.push_back(absl::StrFormat("%s (%d)", ShowToken(e.bytes), e.bytes.size()));
    }
    absl::StrAppendFormat(
        &html,
        "<tr><td class=\"l\">%s</td><td class=\"l\">%s %s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
        "<td>%d</td><td>%d</td><td>%d</td><td>%d</td><td class=\"l\">%s / %s%s<br><code>%s</code></td><td>%s</td>"
        "<td>%s</td>"
        "<td class=\"l\"><code>%s</code></td><td class=\"l\"><code>%s</code></td></tr>",
        EscapeHtml(t.name), EscapeHtml(f.format), EscapeHtml(f.model_type), f.vocab_size, f.regular_tokens,
        f.byte_fallback_tokens, 256 - f.missing_bytes.size(), f.special_tokens, f.added_tokens,
        f.reachability_checked, f.unreachable, EscapeHtml(f.numbers.vocabulary_grouping),
        EscapeHtml(f.numbers.observed_grouping), f.numbers.consistent ? "" : " (inconsistent)",
        EscapeHtml(absl::StrJoin(f.numbers.probe_pieces, "|")),
        Number(t.load_seconds), Number(EncodeMegabytesPerSecond(t), 1), absl::StrJoin(unreachable, " "),
        absl::StrJoin(longest, " "));
  }
  return html + "</table></div>";
}

void AppendMetricsRow(const std::string& tokenizer, const std::string& category, const TextMetrics& m,
                      size_t vocab_size, std::string* html) {
  const std::optional<WordValidity>& v = m.word_validity;
  absl::StrAppendFormat(
      html,
      "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
      "<td>%d</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
      "<td>%s</td><td>%s</td><td class=\"l\">%s</td></tr>",
      EscapeHtml(tokenizer), EscapeHtml(category), m.documents, m.bytes, m.characters, m.tokens, m.words,
      m.split_words, m.distinct_tokens, Number(BytesPerToken(m)), Number(CharactersPerToken(m)),
      Number(TokensPerWord(m)), Number(SplitWordShare(m)), Number(VocabularyUtilisation(m, vocab_size), 4),
      Number(m.shannon_efficiency), Number(m.renyi_efficiency),
      v ? absl::StrFormat("%s (%d/%d)", Share(v->valid_tokens, v->alphabetic_tokens), v->valid_tokens,
                          v->alphabetic_tokens)
        : "–",
      v ? absl::StrFormat("%s (%d/%d)", Share(v->word_initial_valid, v->word_initial_tokens), v->word_initial_valid,
                          v->word_initial_tokens)
        : "–",
      absl::StrJoin(m.token_length_histogram, " "));
}

std::string EveryNumberTable(const StatsReport& report) {
  std::string html =
      "<div class=\"scroll\"><table><tr><th class=\"l\">tokenizer</th><th class=\"l\">category</th><th>docs</th>"
      "<th>bytes</th><th>chars</th><th>tokens</th><th>words</th><th>split words</th><th>distinct tokens</th>"
      "<th>bytes/token</th><th>chars/token</th><th>tokens/word</th><th>split share</th><th>vocab used</th>"
      "<th>Shannon eff.</th><th>Rényi eff. (α=2.5)</th><th>valid words (%TR)</th><th>word-initial valid</th>"
      "<th class=\"l\">token lengths 1…16, 17+ bytes</th></tr>";
  for (const TokenizerStats& t : report.tokenizers) {
    for (size_t c = 0; c < t.categories.size(); ++c) {
      AppendMetricsRow(t.name, report.categories[c], t.categories[c], t.facts.vocab_size, &html);
    }
    AppendMetricsRow(t.name, "all", t.overall, t.facts.vocab_size, &html);
  }
  return html + "</table></div>";
}

}  // namespace

std::string StatsToHtml(const StatsReport& report) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<title>tokgraft stats</title><style>";
  html += kStyle;
  html += "</style></head><body>\n<h1>tokgraft stats</h1>\n";
  absl::StrAppendFormat(&html,
                        "<p class=\"note\">%d tokenizers, %d categories, computed in %.1f s on %d threads. "
                        "Words are ICU word segments (letters, numbers, ideographs; not spaces or punctuation). "
                        "Every number is also in <code>stats.json</code>.</p>\n",
                        report.tokenizers.size(), report.categories.size(), report.seconds, report.threads);
  html += "<h2>Bytes per token by category</h2>\n" + BytesPerTokenChart(report);
  html += "\n<h2>Fertility: tokens per word</h2>\n" + FertilityHeatMap(report);
  html += "\n<h2>Token lengths (bytes, share of all tokens over the corpus)</h2>\n" + TokenLengthHistograms(report);
  html += "\n<h2>Shared tokens</h2>\n<p class=\"note\">Tokens with the same bytes (GPT-2 byte alphabet decoded, "
          "▁ as a space, &lt;0xNN&gt; as its byte); colour: share of the smaller vocabulary.</p>\n" +
          OverlapMatrix(report);
  html += "\n<h2>Tokenizers</h2>\n" + FactsTable(report);
  html += "\n<h2>Every number</h2>\n" + EveryNumberTable(report);
  html += "\n<script>";
  html += kMarkCounter;
  html += "</script>\n</body></html>\n";
  return html;
}

}  // namespace tokgraft::stats
