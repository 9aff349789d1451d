// Inline SVG charts for the HTML report, drawn on the server side so that the
// page needs no script or network to show them. Every drawn data mark has
// class "mark" (the report's test counts them in a browser).
#ifndef TOKGRAFT_STATS_SVG_CHARTS_H_
#define TOKGRAFT_STATS_SVG_CHARTS_H_

#include <string>
#include <string_view>
#include <vector>

namespace tokgraft::stats {

// `s` with &, <, >, " and ' escaped, for HTML text and attributes.
std::string EscapeHtml(std::string_view s);

// The i-th colour of a ten-colour qualitative palette (Tableau 10), cycling.
const char* SeriesColor(size_t i);

// Bars for values[series][group], grouped by `groups` on the x axis, one
// colour per series with a legend. NaN values draw no bar.
std::string GroupedBarChart(const std::string& id, const std::vector<std::string>& groups,
                            const std::vector<std::string>& series, const std::vector<std::vector<double>>& values,
                            const std::string& y_label);

// A grid of cells coloured by value (light = low, dark = high) and labelled
// with `labels[row][column]`. NaN values draw a grey cell.
std::string HeatMap(const std::string& id, const std::vector<std::string>& rows,
                    const std::vector<std::string>& columns, const std::vector<std::vector<double>>& values,
                    const std::vector<std::vector<std::string>>& labels);

// One small bar chart of `values` (shares, 0..1) over `bins`.
std::string Histogram(const std::string& id, const std::string& title, const std::vector<std::string>& bins,
                      const std::vector<double>& values, const char* color);

}  // namespace tokgraft::stats

#endif  // TOKGRAFT_STATS_SVG_CHARTS_H_
