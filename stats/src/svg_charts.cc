#include "svg_charts.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"

namespace tokgraft::stats {
namespace {

double MaxFinite(const std::vector<std::vector<double>>& values) {
  double max = 0;
  for (const auto& row : values) {
    for (double v : row) {
      if (std::isfinite(v)) max = std::max(max, v);
    }
  }
  return max;
}

// A "nice" axis top and tick step for values up to `max`.
std::pair<double, double> AxisScale(double max) {
  if (!(max > 0)) return {1, 0.5};
  const double magnitude = std::pow(10, std::floor(std::log10(max)));
  for (double step : {0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0}) {
    const double s = step * magnitude;
    if (max / s <= 6) return {std::ceil(max / s) * s, s};
  }
  return {std::ceil(max / (10 * magnitude)) * 10 * magnitude, 10 * magnitude};
}

std::string SvgOpen(const std::string& id, double width, double height) {
  return absl::StrFormat(
      "<svg class=\"chart\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
      "width=\"%.0f\" height=\"%.0f\" role=\"img\">",
      EscapeHtml(id), width, height, width, height);
}

// Light yellow through teal to dark blue (three stops, so that the middle is
// not a muddy grey).
std::string HeatColor(double t) {
  static constexpr double kStops[3][3] = {{255, 247, 188}, {65, 182, 196}, {8, 48, 107}};
  t = std::clamp(t, 0.0, 1.0) * 2;
  const int from = t < 1 ? 0 : 1;
  const double f = t - from;
  int rgb[3];
  for (int k = 0; k < 3; ++k) {
    rgb[k] = static_cast<int>(std::lround(kStops[from][k] + f * (kStops[from + 1][k] - kStops[from][k])));
  }
  return absl::StrFormat("rgb(%d,%d,%d)", rgb[0], rgb[1], rgb[2]);
}

}  // namespace

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

const char* SeriesColor(size_t i) {
  static constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                             "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  return kPalette[i % 10];
}

std::string GroupedBarChart(const std::string& id, const std::vector<std::string>& groups,
                            const std::vector<std::string>& series, const std::vector<std::vector<double>>& values,
                            const std::string& y_label) {
  const double bar = 7;
  const double gap = 12;
  const double group_width = std::max<double>(1, series.size()) * bar + gap;
  const double left = 50, top = 20 + 18 * std::ceil(series.size() / 6.0), plot_height = 220, bottom = 60;
  const double width = left + groups.size() * group_width + 10;
  const double height = top + plot_height + bottom;
  const auto [axis_max, step] = AxisScale(MaxFinite(values));
  std::string svg = SvgOpen(id, std::max(width, 560.0), height);
  // Legend: six entries a row.
  for (size_t s = 0; s < series.size(); ++s) {
    const double x = left + (s % 6) * 120, y = 8 + 18 * (s / 6);
    absl::StrAppendFormat(&svg, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>", x, y,
                          SeriesColor(s));
    absl::StrAppendFormat(&svg, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">%s</text>", x + 14, y + 9,
                          EscapeHtml(series[s]));
  }
  for (double tick = 0; tick <= axis_max + step / 2; tick += step) {
    const double y = top + plot_height * (1 - tick / axis_max);
    absl::StrAppendFormat(&svg, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", left,
                          width, y, y);
    absl::StrAppendFormat(&svg, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%g</text>",
                          left - 4, y + 4, tick);
  }
  absl::StrAppendFormat(&svg,
                        "<text transform=\"translate(12,%.1f) rotate(-90)\" class=\"axis\" "
                        "text-anchor=\"middle\">%s</text>",
                        top + plot_height / 2, EscapeHtml(y_label));
  for (size_t g = 0; g < groups.size(); ++g) {
    const double x0 = left + g * group_width + gap / 2;
    for (size_t s = 0; s < series.size(); ++s) {
      const double v = g < values[s].size() ? values[s][g] : NAN;
      if (!std::isfinite(v)) continue;
      const double h = plot_height * v / axis_max;
      absl::StrAppendFormat(&svg,
                            "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                            "fill=\"%s\"><title>%s, %s: %.3f</title></rect>",
                            x0 + s * bar, top + plot_height - h, bar - 1, h, SeriesColor(s),
                            EscapeHtml(series[s]), EscapeHtml(groups[g]), v);
    }
    absl::StrAppendFormat(&svg,
                          "<text transform=\"translate(%.1f,%.1f) rotate(-45)\" class=\"tick\" "
                          "text-anchor=\"end\">%s</text>",
                          x0 + (group_width - gap) / 2, top + plot_height + 12, EscapeHtml(groups[g]));
  }
  svg += "</svg>";
  return svg;
}

std::string HeatMap(const std::string& id, const std::vector<std::string>& rows,
                    const std::vector<std::string>& columns, const std::vector<std::vector<double>>& values,
                    const std::vector<std::vector<std::string>>& labels) {
  const double cell_w = 52, cell_h = 22, left = 110, top = 70;
  const double width = left + columns.size() * cell_w + 10;
  const double height = top + rows.size() * cell_h + 10;
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& row : values) {
    for (double v : row) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  std::string svg = SvgOpen(id, width, height);
  for (size_t c = 0; c < columns.size(); ++c) {
    absl::StrAppendFormat(&svg,
                          "<text transform=\"translate(%.1f,%.1f) rotate(-45)\" class=\"tick\">%s</text>",
                          left + c * cell_w + cell_w / 2, top - 6, EscapeHtml(columns[c]));
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const double y = top + r * cell_h;
    absl::StrAppendFormat(&svg, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>",
                          left - 6, y + cell_h / 2 + 4, EscapeHtml(rows[r]));
    for (size_t c = 0; c < columns.size(); ++c) {
      const double v = values[r][c];
      const double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      const std::string fill = std::isfinite(v) ? HeatColor(t) : "#ddd";
      const char* ink = std::isfinite(v) && t > 0.55 ? "#fff" : "#222";
      absl::StrAppendFormat(&svg,
                            "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                            "fill=\"%s\"><title>%s, %s: %s</title></rect>",
                            left + c * cell_w, y, cell_w - 1, cell_h - 1, fill, EscapeHtml(rows[r]),
                            EscapeHtml(columns[c]), EscapeHtml(labels[r][c]));
      absl::StrAppendFormat(&svg,
                            "<text x=\"%.1f\" y=\"%.1f\" class=\"cell\" text-anchor=\"middle\" "
                            "fill=\"%s\">%s</text>",
                            left + c * cell_w + cell_w / 2, y + cell_h / 2 + 4, ink, EscapeHtml(labels[r][c]));
    }
  }
  svg += "</svg>";
  return svg;
}

std::string Histogram(const std::string& id, const std::string& title, const std::vector<std::string>& bins,
                      const std::vector<double>& values, const char* color) {
  const double bar = 14, left = 34, top = 22, plot_height = 90;
  const double width = left + bins.size() * bar + 8;
  const double height = top + plot_height + 22;
  const auto [axis_max, step] = AxisScale(MaxFinite({values}));
  std::string svg = SvgOpen(id, width, height);
  absl::StrAppendFormat(&svg, "<text x=\"%.1f\" y=\"14\" class=\"legend\">%s</text>", left, EscapeHtml(title));
  for (double tick = 0; tick <= axis_max + step / 2; tick += step) {
    const double y = top + plot_height * (1 - tick / axis_max);
    absl::StrAppendFormat(&svg, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", left,
                          width, y, y);
    absl::StrAppendFormat(&svg, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%g%%</text>",
                          left - 3, y + 4, tick * 100);
  }
  for (size_t i = 0; i < bins.size(); ++i) {
    const double x = left + i * bar;
    const double v = std::isfinite(values[i]) ? values[i] : 0;
    const double h = plot_height * v / axis_max;
    absl::StrAppendFormat(&svg,
                          "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                          "fill=\"%s\"><title>%s bytes: %.2f%%</title></rect>",
                          x + 1, top + plot_height - h, bar - 2, h, color, EscapeHtml(bins[i]), v * 100);
    if (i % 2 == 0 || i + 1 == bins.size()) {
      absl::StrAppendFormat(&svg, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%s</text>",
                            x + bar / 2, top + plot_height + 14, EscapeHtml(bins[i]));
    }
  }
  svg += "</svg>";
  return svg;
}

}  // namespace tokgraft::stats
